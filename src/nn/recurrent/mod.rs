//! Recurrent layers: [`Rnn`], [`Lstm`] and [`Gru`], multi-layer stacks run by libtorch's fused
//! kernels with PyTorch's weights, names and initialisation, and the cells [`RnnCell`],
//! [`LstmCell`] and [`GruCell`] for loops written by hand.
mod cell;
mod packed;
mod stack;
mod state;
mod weights;

pub use cell::{GruCell, LstmCell, LstmCellState, RnnCell};
pub use stack::{Gru, GruStateOf, Lstm, LstmStateOf, Rnn, RnnStateOf};
pub use state::{HiddenState, LstmState};
pub use weights::{CellKind, CellWeights, StackSpec, StackWeights};
