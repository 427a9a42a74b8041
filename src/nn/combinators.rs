//! Combinators: a residual (skip) connection, parallel branches joined by concat or sum, and a
//! block repeated `N` times.
use super::params::join;
use super::{LayerInput, Module, Params};
use crate::device::Device;
use crate::element::{Element, Numeric};
use crate::shape::{BroadcastShape, CatShape, Shape};
use crate::tensor::Tensor;

/// `x + block(x)`: the block must map its input type to itself. Its parameters keep their own
/// names (no prefix), as in a PyTorch module whose `forward` adds the skip.
///
/// ```
/// use typed_torch::nn::{Linear, Module, Residual};
/// use typed_torch::{Tensor, D};
/// let block = Residual(Linear::<8, 8>::new());
/// let y: Tensor<(D<2>, D<8>)> = block.forward(Tensor::zeros());
/// ```
#[derive(Debug, Clone)]
pub struct Residual<M>(pub M);

/// The output of a [`Residual`]'s or [`Repeat`]'s block, which must be exactly its input's type:
/// a bound of its own so that a block that changes the shape is reported in those words.
#[diagnostic::on_unimplemented(
    message = "a `Residual` or `Repeat` block must keep its input's type, but it turns `{In}` into `{Self}`",
    label = "the block inside this `Residual` or `Repeat` changes the shape (or dtype, or device)"
)]
pub trait BlockOutput<In> {
    /// The block's output, as the input type it equals.
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

/// Through [`LayerInput`] like the layers, so that a block that changes the shape is reported
/// once the input is known (not as an unusable `forward` on the whole stack); without
/// `do_not_recommend`, so the error is [`BlockOutput`]'s, showing the block's output next
/// to its input.
impl<In: LayerInput<Residual<M>>, M> Module<In> for Residual<M> {
    type Output = In::Output;
    fn forward(&self, input: In) -> In::Output {
        In::run(self, input)
    }
}

impl<M: Params> Params for Residual<M> {
    fn visit(&self, prefix: &str, f: &mut dyn FnMut(&str, &tch::Tensor)) {
        self.0.visit(prefix, f);
    }
    fn visit_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut tch::Tensor)) {
        self.0.visit_mut(prefix, f);
    }
    fn set_train(&mut self, train: bool) {
        self.0.set_train(train);
    }
    fn visit_buffers(&self, prefix: &str, f: &mut dyn FnMut(&str, &tch::Tensor)) {
        self.0.visit_buffers(prefix, f);
    }
    fn visit_buffers_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut tch::Tensor)) {
        self.0.visit_buffers_mut(prefix, f);
    }
}

/// How [`Parallel`] joins its two branches.
pub trait Join<A, B> {
    /// The joined value.
    type Output;
    /// Joins the branch outputs (a panic in it names the caller of the `forward` that joins).
    #[track_caller]
    fn join(a: A, b: B) -> Self::Output;
}

/// Joins branches by concatenating along axis `AX` (sizes add at compile time).
#[derive(Debug, Clone, Copy, Default)]
pub struct Concat<const AX: usize>;

/// Joins branches by adding them (numpy broadcasting).
#[derive(Debug, Clone, Copy, Default)]
pub struct Sum;

impl<const AX: usize, S1, S2, E: Element, Dev: Device> Join<Tensor<S1, E, Dev>, Tensor<S2, E, Dev>>
    for Concat<AX>
where
    S1: CatShape<S2, AX>,
    S2: Shape,
{
    type Output = Tensor<<S1 as CatShape<S2, AX>>::Output, E, Dev>;
    fn join(a: Tensor<S1, E, Dev>, b: Tensor<S2, E, Dev>) -> Self::Output {
        a.cat::<AX, S2>(&b)
    }
}

impl<S1, S2, E: Numeric, Dev: Device> Join<Tensor<S1, E, Dev>, Tensor<S2, E, Dev>> for Sum
where
    S1: BroadcastShape<S2>,
    S2: Shape,
{
    type Output = Tensor<<S1 as BroadcastShape<S2>>::Output, E, Dev>;
    fn join(a: Tensor<S1, E, Dev>, b: Tensor<S2, E, Dev>) -> Self::Output {
        a + b
    }
}

/// Two branches on the same input, joined by `J` ([`Concat`] or [`Sum`]). Parameters are named
/// `0.*` and `1.*`, like a two-element `nn.ModuleList`.
///
/// ```
/// use typed_torch::nn::{Concat, Linear, Module, Parallel};
/// use typed_torch::{Tensor, D};
/// let both = Parallel::<_, _, Concat<1>>::new(Linear::<4, 3>::new(), Linear::<4, 5>::new());
/// let y: Tensor<(D<2>, D<8>)> = both.forward(Tensor::<(D<2>, D<4>)>::zeros());
/// ```
#[derive(Debug, Clone)]
pub struct Parallel<A, B, J> {
    /// The first branch.
    pub a: A,
    /// The second branch.
    pub b: B,
    join: core::marker::PhantomData<J>,
}

impl<A, B, J> Parallel<A, B, J> {
    /// Runs `a` and `b` side by side.
    pub fn new(a: A, b: B) -> Self {
        Parallel {
            a,
            b,
            join: core::marker::PhantomData,
        }
    }
}

impl<X: Clone, A: Module<X>, B: Module<X>, J: Join<A::Output, B::Output>> Module<X>
    for Parallel<A, B, J>
{
    type Output = J::Output;
    fn forward(&self, x: X) -> Self::Output {
        let a = self.a.forward(x.clone());
        J::join(a, self.b.forward(x))
    }
}

impl<A: Params, B: Params, J> Params for Parallel<A, B, J> {
    fn visit(&self, prefix: &str, f: &mut dyn FnMut(&str, &tch::Tensor)) {
        self.a.visit(&join(prefix, "0"), f);
        self.b.visit(&join(prefix, "1"), f);
    }
    fn visit_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut tch::Tensor)) {
        self.a.visit_mut(&join(prefix, "0"), f);
        self.b.visit_mut(&join(prefix, "1"), f);
    }
    fn set_train(&mut self, train: bool) {
        self.a.set_train(train);
        self.b.set_train(train);
    }
    fn visit_buffers(&self, prefix: &str, f: &mut dyn FnMut(&str, &tch::Tensor)) {
        self.a.visit_buffers(&join(prefix, "0"), f);
        self.b.visit_buffers(&join(prefix, "1"), f);
    }
    fn visit_buffers_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut tch::Tensor)) {
        self.a.visit_buffers_mut(&join(prefix, "0"), f);
        self.b.visit_buffers_mut(&join(prefix, "1"), f);
    }
}

/// `N` independent copies of one block type applied in sequence; the block must map its input
/// type to itself. Named `0.*`, `1.*`, ... like `nn.Sequential`.
///
/// ```
/// use typed_torch::nn::{Linear, Module, Params, Repeat};
/// use typed_torch::{Tensor, D};
/// let deep = Repeat::<_, 3>::new(|| Linear::<8, 8>::new());
/// assert_eq!(deep.param_names()[4], "2.weight");
/// let y: Tensor<(D<2>, D<8>)> = deep.forward(Tensor::zeros());
/// ```
#[derive(Debug, Clone)]
pub struct Repeat<M, const N: usize> {
    /// The blocks, applied first to last.
    pub blocks: [M; N],
}

impl<M, const N: usize> Repeat<M, N> {
    /// Builds each block with `make` (so each gets its own initial weights).
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

impl<M: Params, const N: usize> Params for Repeat<M, N> {
    fn visit(&self, prefix: &str, f: &mut dyn FnMut(&str, &tch::Tensor)) {
        for (i, block) in self.blocks.iter().enumerate() {
            block.visit(&join(prefix, &i.to_string()), f);
        }
    }
    fn visit_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut tch::Tensor)) {
        for (i, block) in self.blocks.iter_mut().enumerate() {
            block.visit_mut(&join(prefix, &i.to_string()), f);
        }
    }
    fn set_train(&mut self, train: bool) {
        self.blocks.iter_mut().for_each(|b| b.set_train(train));
    }
    fn visit_buffers(&self, prefix: &str, f: &mut dyn FnMut(&str, &tch::Tensor)) {
        for (i, block) in self.blocks.iter().enumerate() {
            block.visit_buffers(&join(prefix, &i.to_string()), f);
        }
    }
    fn visit_buffers_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut tch::Tensor)) {
        for (i, block) in self.blocks.iter_mut().enumerate() {
            block.visit_buffers_mut(&join(prefix, &i.to_string()), f);
        }
    }
}

impl<M: super::ToDevice> super::ToDevice for Residual<M> {
    type On<D2: Device> = Residual<M::On<D2>>;
    fn to_device<D2: Device>(&self) -> crate::Result<Self::On<D2>> {
        Ok(Residual(self.0.to_device::<D2>()?))
    }
}

impl<M: super::ToKind> super::ToKind for Residual<M> {
    type As<E2: crate::Float> = Residual<M::As<E2>>;
    fn to_kind<E2: crate::Float>(&self) -> Self::As<E2> {
        Residual(self.0.to_kind::<E2>())
    }
}

impl<A: super::ToDevice, B: super::ToDevice, J> super::ToDevice for Parallel<A, B, J> {
    type On<D2: Device> = Parallel<A::On<D2>, B::On<D2>, J>;
    fn to_device<D2: Device>(&self) -> crate::Result<Self::On<D2>> {
        Ok(Parallel::new(
            self.a.to_device::<D2>()?,
            self.b.to_device::<D2>()?,
        ))
    }
}

impl<A: super::ToKind, B: super::ToKind, J> super::ToKind for Parallel<A, B, J> {
    type As<E2: crate::Float> = Parallel<A::As<E2>, B::As<E2>, J>;
    fn to_kind<E2: crate::Float>(&self) -> Self::As<E2> {
        Parallel::new(self.a.to_kind::<E2>(), self.b.to_kind::<E2>())
    }
}

impl<M: super::ToDevice, const N: usize> super::ToDevice for Repeat<M, N> {
    type On<D2: Device> = Repeat<M::On<D2>, N>;
    fn to_device<D2: Device>(&self) -> crate::Result<Self::On<D2>> {
        let moved = self
            .blocks
            .iter()
            .map(|b| b.to_device::<D2>())
            .collect::<crate::Result<Vec<_>>>()?;
        let blocks = moved
            .try_into()
            .unwrap_or_else(|_| unreachable!("N blocks in, N blocks out"));
        Ok(Repeat { blocks })
    }
}

impl<M: super::ToKind, const N: usize> super::ToKind for Repeat<M, N> {
    type As<E2: crate::Float> = Repeat<M::As<E2>, N>;
    fn to_kind<E2: crate::Float>(&self) -> Self::As<E2> {
        Repeat {
            blocks: core::array::from_fn(|i| self.blocks[i].to_kind::<E2>()),
        }
    }
}
