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

macro_rules! flatten_rank {
    ($last:literal; $($a:ident),*) => {
        impl<N: Dim, $($a: Dim,)* E: Element, Dev: Device> LayerInput<Flatten> for Tensor<(N, $($a,)*), E, Dev>
        where
            (N, $($a,)*): FlattenAxes<1, $last>,
        {
            type Output = Tensor<<(N, $($a,)*) as FlattenAxes<1, $last>>::Output, E, Dev>;
            fn run(_: &Flatten, x: Self) -> Self::Output {
                x.flatten::<1, $last>()
            }
        }
    };
}
flatten_rank!(1; A);
flatten_rank!(2; A, B);
flatten_rank!(3; A, B, C);
flatten_rank!(4; A, B, C, F);
flatten_rank!(5; A, B, C, F, G);
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
    ($($a:ident),*) => {
        impl<$($a: Dim,)* S2: Shape, E: Element, Dev: Device> LayerInput<Reshape<S2>>
            for Tensor<($($a,)*), E, Dev>
        where
            ($($a,)*): crate::shape::ReshapeInto<S2>,
        {
            type Output = Tensor<S2, E, Dev>;
            fn run(_: &Reshape<S2>, x: Self) -> Tensor<S2, E, Dev> {
                x.reshape::<S2>()
            }
        }
    };
}
reshape_rank!(A);
reshape_rank!(A, B);
reshape_rank!(A, B, C);
reshape_rank!(A, B, C, F);
reshape_rank!(A, B, C, F, G);
reshape_rank!(A, B, C, F, G, H);
/// Without `do_not_recommend` (unlike the other layers): rustc then reports the element-count
/// check itself, "cannot reshape `(D<8>, D<98>)` into `(D<8>, D<3>, D<49>)`".
impl<In: LayerInput<Reshape<S2>>, S2: Shape> Module<In> for Reshape<S2> {
    type Output = In::Output;
    fn forward(&self, input: In) -> In::Output {
        In::run(self, input)
    }
}
