//! `Residual`: `x + block(x)`.
use crate::device::Device;
use crate::element::Numeric;
use crate::nn::{LayerInput, Module};
use crate::shape::{BroadcastShape, Shape};
use crate::tensor::Tensor;

/// `x + block(x)`: the block must map its input type to itself. Its parameters keep their own
/// names (no prefix), as in a PyTorch module whose `forward` adds the skip.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Init, Linear, Module, Residual};
/// use typed_torch::{Tensor, D};
/// let block = Residual::<Linear<8, 8>>::init().unwrap();
/// let y: Tensor<(D<2>, D<8>)> = block.forward(Tensor::zeros());
/// ```
#[derive(Debug, Clone, crate::nn::Module)]
pub struct Residual<M>(#[module(transparent)] pub M);

/// The output of a [`Residual`] or [`crate::nn::Repeat`] block, which must be its input's type.
#[diagnostic::on_unimplemented(
    message = "a `Residual` or `Repeat` block must keep its input's type, but it turns `{In}` into `{Self}`",
    label = "the block inside this `Residual` or `Repeat` changes the shape (or dtype, or device)"
)]
pub trait BlockOutput<In> {
    /// The output, as the input's type.
    fn into_input_type(self) -> In;
}

impl<T> BlockOutput<T> for T {
    fn into_input_type(self) -> T {
        self
    }
}

impl<M, S, E, Dev> LayerInput<Residual<M>> for Tensor<S, E, Dev>
where
    M: Module<Self>,
    M::Output: BlockOutput<Self>,
    S: Shape + BroadcastShape<S, Output = S>,
    E: Numeric,
    Dev: Device,
{
    type Output = Self;
    fn run(layer: &Residual<M>, x: Self) -> Self {
        let y = layer.0.forward(x.clone()).into_input_type();
        x + y
    }
}

// Without `do_not_recommend`: a block that changes its input's type is reported as such
// (`BlockOutput`), which names the problem better than "cannot take ... as input".
impl<In: LayerInput<Residual<M>>, M> Module<In> for Residual<M> {
    type Output = In::Output;
    fn forward(&self, input: In) -> In::Output {
        In::run(self, input)
    }
}
