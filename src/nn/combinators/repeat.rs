//! `Repeat`: one block type applied `N` times in sequence.
use super::BlockOutput;
use crate::nn::Module;

/// `N` blocks of the same type applied in sequence (each its own parameters), named `0.*`,
/// `1.*`... like an `nn.Sequential` of copies; the block must keep its input's type.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Init, Linear, Module, Params, Repeat};
/// use typed_torch::{Tensor, D};
/// let deep = Repeat::<Linear<8, 8>, 3>::init().unwrap();
/// let y: Tensor<(D<2>, D<8>)> = deep.forward(Tensor::zeros());
/// assert_eq!(deep.param_names()[2], "1.weight");
/// ```
#[derive(Debug, Clone, crate::nn::Module)]
pub struct Repeat<M, const N: usize> {
    /// The blocks, in order.
    #[module(transparent)]
    pub blocks: [M; N],
}

impl<M, const N: usize> Repeat<M, N> {
    /// `N` blocks made by `make`, in order.
    pub fn new(mut make: impl FnMut() -> M) -> Self {
        Repeat {
            blocks: core::array::from_fn(|_| make()),
        }
    }
}

impl<X, M: Module<X>, const N: usize> Module<X> for Repeat<M, N>
where
    M::Output: BlockOutput<X>,
{
    type Output = X;
    fn forward(&self, mut x: X) -> X {
        // A loop rather than a fold: a closure would hide the caller's line from a panicking block.
        for block in &self.blocks {
            x = block.forward(x).into_input_type();
        }
        x
    }
}
