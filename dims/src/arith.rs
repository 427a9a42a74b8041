//! Arithmetic on dims: static operands are computed at compile time, `Dyn` stays `Dyn`.
use crate::checks::{
    Divides, KernelFits, ProductFits, SumFits, TransposeFits, TransposeResultFits,
};
use crate::dim::{Dim, Dyn, D};
use crate::tables::{MaxResult, ToDim, ToDimSat, ToUnsigned};
use core::ops::{Add as TAdd, Div as TDiv, Mul as TMul, Rem as TRem, Sub as TSub};
use typenum::{
    Diff, Eq, GrEq, IsEqual, IsGreaterOrEqual, IsLessOrEqual, LeEq, Max, Maximum, Mod, Prod, Quot,
    Sum, B0, B1, U0, U1, U2,
};

type N<X> = <X as ToUnsigned>::Output;
type Back<X> = <X as ToDim>::Output;
type Sat<X> = <X as ToDimSat>::Output;

/// The product of two dims, computed at compile time (`D<16> * D<49> = D<784>`).
#[diagnostic::on_unimplemented(
    message = "cannot multiply dims `{Self}` and `{Rhs}` at compile time"
)]
pub trait DimMul<Rhs>: Dim {
    /// The product.
    type Output: Dim;
}
/// The product of two dims.
pub type Mul<A, B> = <A as DimMul<B>>::Output;

impl<const A: usize, const B: usize> DimMul<D<B>> for D<A>
where
    D<A>: ToUnsigned,
    D<B>: ToUnsigned,
    N<D<A>>: TMul<N<D<B>>>,
    Prod<N<D<A>>, N<D<B>>>: IsLessOrEqual<MaxResult> + ToDimSat,
    LeEq<Prod<N<D<A>>, N<D<B>>>, MaxResult>: ProductFits<(D<A>, D<B>)>,
{
    type Output = Sat<Prod<N<D<A>>, N<D<B>>>>;
}
impl<B: Dim> DimMul<B> for Dyn {
    type Output = Dyn;
}
impl<const A: usize> DimMul<Dyn> for D<A> {
    type Output = Dyn;
}

/// The sum of two dims, computed at compile time (`D<3> + D<5> = D<8>`).
#[diagnostic::on_unimplemented(message = "cannot add dims `{Self}` and `{Rhs}` at compile time")]
pub trait DimAdd<Rhs>: Dim {
    /// The sum.
    type Output: Dim;
}
/// The sum of two dims.
pub type Add<A, B> = <A as DimAdd<B>>::Output;

impl<const A: usize, const B: usize> DimAdd<D<B>> for D<A>
where
    D<A>: ToUnsigned,
    D<B>: ToUnsigned,
    N<D<A>>: TAdd<N<D<B>>>,
    Sum<N<D<A>>, N<D<B>>>: IsLessOrEqual<MaxResult> + ToDimSat,
    LeEq<Sum<N<D<A>>, N<D<B>>>, MaxResult>: SumFits<D<A>, D<B>>,
{
    type Output = Sat<Sum<N<D<A>>, N<D<B>>>>;
}
impl<B: Dim> DimAdd<B> for Dyn {
    type Output = Dyn;
}
impl<const A: usize> DimAdd<Dyn> for D<A> {
    type Output = Dyn;
}

/// The exact quotient of two dims; a remainder is a compile error (`D<512> / D<8> = D<64>`).
#[diagnostic::on_unimplemented(message = "cannot divide dim `{Self}` by `{Rhs}` at compile time")]
pub trait DimDiv<Rhs>: Dim {
    /// The quotient.
    type Output: Dim;
}
/// The exact quotient of two dims.
pub type Div<A, B> = <A as DimDiv<B>>::Output;

impl<const A: usize, const B: usize> DimDiv<D<B>> for D<A>
where
    D<A>: ToUnsigned,
    D<B>: ToUnsigned,
    N<D<A>>: TRem<N<D<B>>> + TDiv<N<D<B>>>,
    Mod<N<D<A>>, N<D<B>>>: IsEqual<U0>,
    Eq<Mod<N<D<A>>, N<D<B>>>, U0>: Divides<D<A>, D<B>>,
    Quot<N<D<A>>, N<D<B>>>: ToDim,
{
    type Output = Back<Quot<N<D<A>>, N<D<B>>>>;
}
impl<const B: usize> DimDiv<D<B>> for Dyn {
    type Output = Dyn;
}

/// Output size of a convolution or pooling window over this dim (PyTorch's formula, floor mode):
/// `(H + 2P - L*(K-1) - 1) / S + 1` for kernel `K`, stride `S`, padding `P`, dilation `L`.
#[diagnostic::on_unimplemented(
    message = "cannot compute the output size of a window over `{Self}` at compile time"
)]
pub trait ConvDim<K, S, P, L>: Dim {
    /// The output size.
    type Output: Dim;
}
/// Output size of a convolution or pooling window.
pub type ConvOut<H, K, S, P, L> = <H as ConvDim<K, S, P, L>>::Output;

type Padded<H, P> = Sum<N<H>, Prod<N<P>, U2>>;
type Span<K, L> = Sum<Prod<N<L>, Diff<N<K>, U1>>, U1>;
// Padded input minus the window, saturating at 0 so an oversized kernel reports through
// `KernelFits` alone instead of also failing a typenum subtraction.
type Slack<H, K, P, L> = Diff<Maximum<Padded<H, P>, Span<K, L>>, Span<K, L>>;

impl<const H: usize, const K: usize, const S: usize, const P: usize, const L: usize>
    ConvDim<D<K>, D<S>, D<P>, D<L>> for D<H>
where
    D<H>: ToUnsigned,
    D<K>: ToUnsigned,
    D<S>: ToUnsigned,
    D<P>: ToUnsigned,
    D<L>: ToUnsigned,
    N<D<P>>: TMul<U2>,
    N<D<H>>: TAdd<Prod<N<D<P>>, U2>>,
    N<D<K>>: TSub<U1>,
    N<D<L>>: TMul<Diff<N<D<K>>, U1>>,
    Prod<N<D<L>>, Diff<N<D<K>>, U1>>: TAdd<U1>,
    Padded<D<H>, D<P>>: IsGreaterOrEqual<Span<D<K>, D<L>>> + Max<Span<D<K>, D<L>>>,
    GrEq<Padded<D<H>, D<P>>, Span<D<K>, D<L>>>: KernelFits<D<H>, D<K>, D<P>, D<L>>,
    Maximum<Padded<D<H>, D<P>>, Span<D<K>, D<L>>>: TSub<Span<D<K>, D<L>>>,
    Slack<D<H>, D<K>, D<P>, D<L>>: TDiv<N<D<S>>>,
    Quot<Slack<D<H>, D<K>, D<P>, D<L>>, N<D<S>>>: TAdd<U1>,
    Sum<Quot<Slack<D<H>, D<K>, D<P>, D<L>>, N<D<S>>>, U1>: ToDim,
{
    type Output = Back<Sum<Quot<Slack<D<H>, D<K>, D<P>, D<L>>, N<D<S>>>, U1>>;
}
impl<K, S, P, L> ConvDim<K, S, P, L> for Dyn {
    type Output = Dyn;
}

/// Output size of a transposed convolution over this dim (PyTorch's formula):
/// `(H-1)*S - 2P + L*(K-1) + OP + 1` for kernel `K`, stride `S`, padding `P`, output padding `OP`,
/// dilation `L`.
#[diagnostic::on_unimplemented(
    message = "cannot compute the output size of a transposed convolution over `{Self}` at compile time"
)]
pub trait ConvTransposeDim<K, S, P, OP, L>: Dim {
    /// The output size.
    type Output: Dim;
}
/// Output size of a transposed convolution.
pub type ConvTransposeOut<H, K, S, P, OP, L> = <H as ConvTransposeDim<K, S, P, OP, L>>::Output;

// Everything but the padding: (H-1)*S + L*(K-1) + OP + 1.
type Grown<H, K, S, OP, L> = Sum<Sum<Prod<Diff<N<H>, U1>, N<S>>, Span<K, L>>, N<OP>>;
type PadTwiceAndOne<P> = Sum<Prod<N<P>, U2>, U1>;
// The output: `Grown - 2P`, saturating at 0 (an empty output reports through `TransposeFits`).
type Unpadded<H, K, S, P, OP, L> =
    Diff<Maximum<Grown<H, K, S, OP, L>, Prod<N<P>, U2>>, Prod<N<P>, U2>>;

impl<
        const H: usize,
        const K: usize,
        const S: usize,
        const P: usize,
        const OP: usize,
        const L: usize,
    > ConvTransposeDim<D<K>, D<S>, D<P>, D<OP>, D<L>> for D<H>
where
    D<H>: ToUnsigned,
    D<K>: ToUnsigned,
    D<S>: ToUnsigned,
    D<P>: ToUnsigned,
    D<OP>: ToUnsigned,
    D<L>: ToUnsigned,
    N<D<H>>: TSub<U1>,
    Diff<N<D<H>>, U1>: TMul<N<D<S>>>,
    N<D<K>>: TSub<U1>,
    N<D<L>>: TMul<Diff<N<D<K>>, U1>>,
    Prod<N<D<L>>, Diff<N<D<K>>, U1>>: TAdd<U1>,
    Prod<Diff<N<D<H>>, U1>, N<D<S>>>: TAdd<Span<D<K>, D<L>>>,
    Sum<Prod<Diff<N<D<H>>, U1>, N<D<S>>>, Span<D<K>, D<L>>>: TAdd<N<D<OP>>>,
    N<D<P>>: TMul<U2>,
    Prod<N<D<P>>, U2>: TAdd<U1>,
    Grown<D<H>, D<K>, D<S>, D<OP>, D<L>>:
        IsGreaterOrEqual<PadTwiceAndOne<D<P>>> + Max<Prod<N<D<P>>, U2>>,
    GrEq<Grown<D<H>, D<K>, D<S>, D<OP>, D<L>>, PadTwiceAndOne<D<P>>>:
        TransposeFits<D<H>, D<K>, D<S>, D<P>>,
    Maximum<Grown<D<H>, D<K>, D<S>, D<OP>, D<L>>, Prod<N<D<P>>, U2>>: TSub<Prod<N<D<P>>, U2>>,
    Unpadded<D<H>, D<K>, D<S>, D<P>, D<OP>, D<L>>: IsLessOrEqual<MaxResult> + ToDimSat,
    LeEq<Unpadded<D<H>, D<K>, D<S>, D<P>, D<OP>, D<L>>, MaxResult>:
        TransposeResultFits<D<H>, D<K>, D<S>>,
{
    type Output = Sat<Unpadded<D<H>, D<K>, D<S>, D<P>, D<OP>, D<L>>>;
}
impl<K, S, P, OP, L> ConvTransposeDim<K, S, P, OP, L> for Dyn {
    type Output = Dyn;
}

/// Numpy broadcasting of one pair of dims: equal dims stay, a `D<1>` stretches to the other.
#[diagnostic::on_unimplemented(
    message = "cannot broadcast dim `{Self}` with dim `{Rhs}`",
    label = "broadcasting needs equal dims, or `D<1>` on one side"
)]
pub trait BroadcastDim<Rhs>: Dim {
    /// The broadcast dim.
    type Output: Dim;
}
/// The broadcast of two dims.
pub type Broadcast<A, B> = <A as BroadcastDim<B>>::Output;

/// Picks the broadcast dim from three facts: `A == 1`, `B == 1`, `A == B`.
#[diagnostic::on_unimplemented(
    message = "cannot broadcast dim `{A}` with dim `{B}`",
    label = "broadcasting needs equal dims, or `D<1>` on one side"
)]
pub trait BroadcastPick<A, B> {
    /// The broadcast dim.
    type Output: Dim;
}
impl<A: Dim, B: Dim, BisOne, Same> BroadcastPick<A, B> for (B1, BisOne, Same) {
    type Output = B;
}
impl<A: Dim, B: Dim, Same> BroadcastPick<A, B> for (B0, B1, Same) {
    type Output = A;
}
impl<A: Dim, B: Dim> BroadcastPick<A, B> for (B0, B0, B1) {
    type Output = A;
}

type IsOne<X> = Eq<N<X>, U1>;

impl<const A: usize, const B: usize> BroadcastDim<D<B>> for D<A>
where
    D<A>: ToUnsigned,
    D<B>: ToUnsigned,
    N<D<A>>: IsEqual<U1> + IsEqual<N<D<B>>>,
    N<D<B>>: IsEqual<U1>,
    (IsOne<D<A>>, IsOne<D<B>>, Eq<N<D<A>>, N<D<B>>>): BroadcastPick<D<A>, D<B>>,
{
    type Output =
        <(IsOne<D<A>>, IsOne<D<B>>, Eq<N<D<A>>, N<D<B>>>) as BroadcastPick<D<A>, D<B>>>::Output;
}
/// `Dyn` against `D<1>` stays `Dyn`; against any other `D<B>` the result must be `B` (or it fails at run time).
impl<const B: usize> BroadcastDim<D<B>> for Dyn
where
    D<B>: ToUnsigned,
    N<D<B>>: IsEqual<U1>,
    (IsOne<D<B>>, B0, B1): BroadcastPick<D<B>, Dyn>,
{
    type Output = <(IsOne<D<B>>, B0, B1) as BroadcastPick<D<B>, Dyn>>::Output;
}
impl<const A: usize> BroadcastDim<Dyn> for D<A>
where
    D<A>: ToUnsigned,
    N<D<A>>: IsEqual<U1>,
    (IsOne<D<A>>, B0, B1): BroadcastPick<D<A>, Dyn>,
{
    type Output = <(IsOne<D<A>>, B0, B1) as BroadcastPick<D<A>, Dyn>>::Output;
}
impl BroadcastDim<Dyn> for Dyn {
    type Output = Dyn;
}

/// A static slice `Start..Start+Len` of this dim, checked at compile time.
#[diagnostic::on_unimplemented(
    message = "cannot take a static slice of dim `{Self}`",
    label = "a `Dyn` axis needs the run-time `narrow_dyn`"
)]
pub trait DimSlice<Start, Len>: Dim {}

impl<const M: usize, const S: usize, const L: usize> DimSlice<D<S>, D<L>> for D<M>
where
    D<M>: ToUnsigned,
    D<S>: ToUnsigned,
    D<L>: ToUnsigned,
    N<D<S>>: TAdd<N<D<L>>>,
    N<D<M>>: IsGreaterOrEqual<Sum<N<D<S>>, N<D<L>>>>,
    GrEq<N<D<M>>, Sum<N<D<S>>, N<D<L>>>>: crate::checks::SliceFits<D<M>, D<S>, D<L>>,
{
}

/// Holds when input channels `Self` equal `Cg * G` (weight in-channels per group times groups).
#[diagnostic::on_unimplemented(
    message = "convolution input has `{Self}` channels, but the weight expects `{Cg}` per group x `{G}` groups"
)]
pub trait GroupedChannels<Cg, G>: Dim {}

impl<const C: usize, const CG: usize, const G: usize> GroupedChannels<D<CG>, D<G>> for D<C>
where
    D<C>: ToUnsigned,
    D<CG>: ToUnsigned,
    D<G>: ToUnsigned,
    N<D<CG>>: TMul<N<D<G>>>,
    Prod<N<D<CG>>, N<D<G>>>: IsEqual<N<D<C>>>,
    Eq<Prod<N<D<CG>>, N<D<G>>>, N<D<C>>>: crate::checks::ChannelsMatch<D<C>, D<CG>, D<G>>,
{
}
impl<Cg, G> GroupedChannels<Cg, G> for Dyn {}
