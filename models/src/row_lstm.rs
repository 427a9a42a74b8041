//! An LSTM that reads a digit row by row: 28 steps of 28 pixels, classified from the last step.
use typed_torch::nn::{Linear, Lstm, Module};
use typed_torch::options::BatchFirst;
use typed_torch::{Cpu, Device, Dim, Float, Tensor, D};

/// The LSTM's hidden size.
pub const HIDDEN: usize = 128;

/// Sequential MNIST: `(B, 1, 28, 28)` digits become `(B, 28, 28)` sequences of rows, a
/// batch-first LSTM with [`HIDDEN`] units reads them, and a linear layer classifies its output at
/// the last row. Parameter names match a `torch.nn` module with fields `lstm` and `head`.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch_models::row_lstm::RowLstm;
/// let net = RowLstm::<f32, Cpu>::init().unwrap();
/// assert_eq!(net.param_names()[..2], ["lstm.weight_ih_l0", "lstm.weight_hh_l0"]);
/// let logits: Tensor<(D<3>, D<10>)> = net.forward(Tensor::<(D<3>, D<1>, D<28>, D<28>)>::zeros());
/// ```
#[derive(Debug, Clone, typed_torch::nn::Module)]
pub struct RowLstm<E: Float = f32, Dev: Device = Cpu> {
    /// Reads the 28 rows.
    pub lstm: Lstm<28, HIDDEN, BatchFirst, E, Dev>,
    /// Classifies the output at the last row.
    pub head: Linear<HIDDEN, 10, (), E, Dev>,
}

impl<B: Dim, E: Float, Dev: Device> Module<Tensor<(B, D<1>, D<28>, D<28>), E, Dev>>
    for RowLstm<E, Dev>
{
    type Output = Tensor<(B, D<10>), E, Dev>;
    fn forward(&self, images: Tensor<(B, D<1>, D<28>, D<28>), E, Dev>) -> Self::Output {
        let rows = images.squeeze::<1>();
        let outputs = self.lstm.forward(rows);
        let last = outputs.narrow::<1, 27, 1>().squeeze::<1>();
        self.head.forward(last)
    }
}
