//! `Flatten` (PyTorch's `nn.Flatten()`: every axis after the batch merged) and `Reshape`.
use super::module::module_via_layer_input;
use super::{LayerInput, Module};
use crate::device::Device;
use crate::dims::Dim;
use crate::element::Element;
use crate::shape::{FlattenAxes, Shape};
use crate::tensor::Tensor;

/// `torch.nn.Flatten()`: merges every axis after the first; the size is computed at compile time.
///
/// ```
/// use typed_torch::nn::{Flatten, Module};
/// use typed_torch::{Tensor, D, Dyn};
/// let x = Tensor::<(Dyn, D<16>, D<5>, D<5>)>::zeros_dyn(&[2]).unwrap();
/// let y: Tensor<(Dyn, D<400>)> = Flatten.forward(x);
/// ```
#[derive(Debug, Clone, Copy, Default, super::Module)]
pub struct Flatten;

// One impl per input rank from 2 up: `FlattenAxes` needs the last axis as a number.
macro_rules! flatten_rank {
    ($rank:literal, $last:literal; $n:ident $($a:ident)* | $z:ident) => {
        impl<$n: Dim, $($a: Dim,)* $z: Dim, E: Element, Dev: Device> LayerInput<Flatten> for Tensor<($n, $($a,)* $z,), E, Dev>
        where
            ($n, $($a,)* $z,): FlattenAxes<1, $last>,
        {
            type Output = Tensor<<($n, $($a,)* $z,) as FlattenAxes<1, $last>>::Output, E, Dev>;
            fn run(_: &Flatten, x: Self) -> Self::Output {
                x.flatten::<1, $last>()
            }
        }
    };
    // Rank 1: no axis after the batch.
    ($rank:literal, $last:literal; | $z:ident) => {};
}
crate::for_each_rank!(flatten_rank);
module_via_layer_input!([] Flatten);

/// Reshapes to the static shape `S2` with the same element count (checked at compile time).
///
/// ```
/// use typed_torch::nn::{Module, Reshape};
/// use typed_torch::{Tensor, D};
/// let y: Tensor<(D<4>, D<3>)> = Reshape::<(D<4>, D<3>)>::default().forward(Tensor::<(D<2>, D<6>)>::zeros());
/// ```
#[derive(Debug, Clone, Copy, Default, super::Module)]
pub struct Reshape<S2: Shape>(#[module(skip)] core::marker::PhantomData<S2>);

// One impl per input rank: the element-count check needs the dims one by one.
macro_rules! reshape_rank {
    ($rank:literal, $last:literal; $($a:ident)* | $z:ident) => {
        impl<$($a: Dim,)* $z: Dim, S2: Shape, E: Element, Dev: Device> LayerInput<Reshape<S2>>
            for Tensor<($($a,)* $z,), E, Dev>
        where
            ($($a,)* $z,): crate::shape::ReshapeInto<S2>,
        {
            type Output = Tensor<S2, E, Dev>;
            fn run(_: &Reshape<S2>, x: Self) -> Tensor<S2, E, Dev> {
                x.reshape::<S2>()
            }
        }
    };
}
crate::for_each_rank!(reshape_rank);
/// Without `do_not_recommend` (unlike the other layers): rustc then reports the element-count
/// check itself, "cannot reshape `(D<8>, D<98>)` into `(D<8>, D<3>, D<49>)`".
impl<In: LayerInput<Reshape<S2>>, S2: Shape> Module<In> for Reshape<S2> {
    type Output = In::Output;
    fn forward(&self, input: In) -> In::Output {
        In::run(self, input)
    }
}
