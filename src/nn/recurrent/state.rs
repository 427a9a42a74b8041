//! The states a recurrent stack takes and returns.
use crate::device::{Cpu, Device};
use crate::dims::Dim;
use crate::element::Float;
use crate::tensor::Tensor;

/// The hidden state of an [`Rnn`](super::Rnn) or [`Gru`](super::Gru) stack: `h` is
/// `(layers x directions, batch, hidden)`, PyTorch's `h_n`.
#[derive(Debug, Clone)]
pub struct HiddenState<LD: Dim, B: Dim, H: Dim, E: Float = f32, Dev: Device = Cpu> {
    /// The last step's hidden state of every layer and direction (the reverse direction's is at
    /// its first step, where it ends).
    pub h: Tensor<(LD, B, H), E, Dev>,
}

/// The state of an [`Lstm`](super::Lstm) stack, PyTorch's `(h_n, c_n)` in that order: `h` is
/// `(layers x directions, batch, proj_size or hidden)`, `c` is `(layers x directions, batch,
/// hidden)`.
#[derive(Debug, Clone)]
pub struct LstmState<LD: Dim, B: Dim, HO: Dim, H: Dim, E: Float = f32, Dev: Device = Cpu> {
    /// The hidden state (projected, with `ProjSize`).
    pub h: Tensor<(LD, B, HO), E, Dev>,
    /// The cell state.
    pub c: Tensor<(LD, B, H), E, Dev>,
}
