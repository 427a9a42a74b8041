//! Parameter counts known from a model's type alone: [`StaticParamCount::PARAM_COUNT`].
use super::Params;
use crate::device::Device;
use crate::element::Element;
use crate::shape::Shape;
use crate::tensor::Tensor;
use frunk::{HCons, HNil};

/// A model whose number of scalar parameters follows from its type: a `const`, usable at compile
/// time, equal to [`Params::param_count`] at run time (buffers such as batch-norm running
/// statistics are not parameters, as in PyTorch's `sum(p.numel() for p in m.parameters())`).
///
/// Implemented by every layer (options such as `NoBias` are in the type), by HList stacks (the
/// sum of their layers), by the combinators, by tensors of static shape, and by structs with
/// `#[derive(Module)]`. A `Vec` or an `Option` of layers has no such count: its length or
/// presence is a run-time fact.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Conv2d, Flatten, Init, Linear, Params, ReLU, StaticParamCount};
/// use typed_torch::options::NoBias;
/// use typed_torch::HList;
///
/// type Net = HList![Conv2d<1, 6, 5>, ReLU, Flatten, Linear<3456, 10>, ReLU, Linear<10, 2, NoBias>];
/// const N: usize = <Net as StaticParamCount>::PARAM_COUNT;
/// assert_eq!(N, (6 * 25 + 6) + (3456 * 10 + 10) + 10 * 2);
/// assert_eq!(Net::init().unwrap().param_count(), N);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no parameter count known at compile time",
    label = "its number of parameters is known only at run time",
    note = "a `Vec` or an `Option` of layers is counted at run time with `Params::param_count()`; a struct model gets `PARAM_COUNT` from `#[derive(Module)]` when no field is a `Vec` or an `Option`"
)]
pub trait StaticParamCount: Params {
    /// The number of scalar parameters, e.g. `784 * 300 + 300` for `Linear<784, 300>`.
    const PARAM_COUNT: usize;
}

impl StaticParamCount for HNil {
    const PARAM_COUNT: usize = 0;
}

/// A stack has the parameters of all its layers.
impl<H: StaticParamCount, T: StaticParamCount> StaticParamCount for HCons<H, T>
where
    HCons<H, T>: Params,
{
    const PARAM_COUNT: usize = H::PARAM_COUNT + T::PARAM_COUNT;
}

impl<M: StaticParamCount, const N: usize> StaticParamCount for [M; N] {
    const PARAM_COUNT: usize = N * M::PARAM_COUNT;
}

impl<T: ?Sized> StaticParamCount for core::marker::PhantomData<T> {
    const PARAM_COUNT: usize = 0;
}

/// A tensor field (e.g. a learned positional embedding): its element count. Its shape must be
/// static; a `Dyn` dim fails the count's evaluation at compile time.
impl<S: Shape, E: Element, Dev: Device> StaticParamCount for Tensor<S, E, Dev> {
    const PARAM_COUNT: usize = numel(S::DIMS);
}

/// The product of static sizes.
const fn numel(dims: &[Option<usize>]) -> usize {
    let mut n = 1;
    let mut i = 0;
    while i < dims.len() {
        match dims[i] {
            Some(d) => n *= d,
            None => panic!("a parameter with a `Dyn` dim has no static parameter count"),
        }
        i += 1;
    }
    n
}
