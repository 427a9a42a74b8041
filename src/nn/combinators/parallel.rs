//! `Parallel`: two branches on the same input, joined.
use crate::device::Device;
use crate::element::{Element, Numeric};
use crate::nn::Module;
use crate::ops::Cat;
use crate::shape::{BroadcastShape, CatShape, Shape};
use crate::tensor::Tensor;

/// How [`Parallel`] joins its two branches: [`ConcatOutputs`] or [`SumOutputs`].
pub trait JoinOutputs<A, B> {
    /// The joined value.
    type Output;
    /// Joins the branch outputs (a panic in it names the caller of the `forward` that joins).
    #[track_caller]
    fn join(a: A, b: B) -> Self::Output;
}

/// Joins branches by concatenating along axis `AX` (sizes add at compile time).
#[derive(Debug, Clone, Copy, Default)]
pub struct ConcatOutputs<const AX: usize>;

/// Joins branches by adding them (numpy broadcasting).
#[derive(Debug, Clone, Copy, Default)]
pub struct SumOutputs;

impl<const AX: usize, S1, S2, E: Element, Dev: Device>
    JoinOutputs<Tensor<S1, E, Dev>, Tensor<S2, E, Dev>> for ConcatOutputs<AX>
where
    S1: CatShape<S2, AX>,
    S2: Shape,
{
    type Output = Tensor<<S1 as CatShape<S2, AX>>::Output, E, Dev>;
    fn join(a: Tensor<S1, E, Dev>, b: Tensor<S2, E, Dev>) -> Self::Output {
        a.cat::<AX>(&b)
    }
}

impl<S1, S2, E: Numeric, Dev: Device> JoinOutputs<Tensor<S1, E, Dev>, Tensor<S2, E, Dev>>
    for SumOutputs
where
    S1: BroadcastShape<S2>,
    S2: Shape,
{
    type Output = Tensor<<S1 as BroadcastShape<S2>>::Output, E, Dev>;
    fn join(a: Tensor<S1, E, Dev>, b: Tensor<S2, E, Dev>) -> Self::Output {
        a + b
    }
}

/// Two branches on the same input, joined by `J` ([`ConcatOutputs`] or [`SumOutputs`]).
/// Parameters are named `0.*` and `1.*`, like a two-element `nn.ModuleList`.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{ConcatOutputs, Init, Linear, Module, Parallel};
/// use typed_torch::{Tensor, D};
/// let both = Parallel::<Linear<4, 3>, Linear<4, 5>, ConcatOutputs<1>>::init().unwrap();
/// let y: Tensor<(D<2>, D<8>)> = both.forward(Tensor::<(D<2>, D<4>)>::zeros());
/// ```
#[derive(Debug, Clone, crate::nn::Module)]
pub struct Parallel<A, B, J> {
    /// The first branch.
    #[module(rename = "0")]
    pub a: A,
    /// The second branch.
    #[module(rename = "1")]
    pub b: B,
    /// How the branches are joined.
    #[module(skip)]
    pub join: J,
}

impl<A, B, J> Parallel<A, B, J> {
    /// Two branches made by hand, joined by `join` (`ConcatOutputs::<1>`, `SumOutputs`).
    pub fn new(a: A, b: B, join: J) -> Self {
        Parallel { a, b, join }
    }
}

impl<X: Clone, A: Module<X>, B: Module<X>, J: JoinOutputs<A::Output, B::Output>> Module<X>
    for Parallel<A, B, J>
{
    type Output = J::Output;
    fn forward(&self, x: X) -> Self::Output {
        let a = self.a.forward(x.clone());
        J::join(a, self.b.forward(x))
    }
}
