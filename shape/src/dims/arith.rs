//! Arithmetic on dims: static operands are computed at compile time, `Dyn` stays `Dyn`.
//!
//! Each impl for static dims requires its operands to be in range for compile-time arithmetic
//! (`D<N>: ToUnsigned`, reported as "static dim too large") and one condition from
//! [`checks`](super::checks) that also computes the result; the typenum work lives there, behind
//! `#[diagnostic::do_not_recommend]`, so errors name only the user's dims.
use super::checks::{
    ChannelsMatch, KernelFits, MultipleOf, NotOne, ProductFits, SliceFits, SumFits, TransposeFits,
    TransposeResultFits,
};
use super::dim::{Dim, Dyn, D};
use super::tables::ToUnsigned;

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
    D<A>: ToUnsigned + ProductFits<D<B>>,
    D<B>: ToUnsigned,
{
    type Output = <D<A> as ProductFits<D<B>>>::Product;
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
    D<A>: ToUnsigned + SumFits<D<B>>,
    D<B>: ToUnsigned,
{
    type Output = <D<A> as SumFits<D<B>>>::Sum;
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
    D<A>: ToUnsigned + MultipleOf<D<B>>,
    D<B>: ToUnsigned,
{
    type Output = <D<A> as MultipleOf<D<B>>>::Quotient;
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

impl<const H: usize, const K: usize, const S: usize, const P: usize, const L: usize>
    ConvDim<D<K>, D<S>, D<P>, D<L>> for D<H>
where
    D<H>: ToUnsigned + KernelFits<D<K>, D<S>, D<P>, D<L>>,
    D<K>: ToUnsigned,
    D<S>: ToUnsigned,
    D<P>: ToUnsigned,
    D<L>: ToUnsigned,
{
    type Output = <D<H> as KernelFits<D<K>, D<S>, D<P>, D<L>>>::Output;
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

impl<
        const H: usize,
        const K: usize,
        const S: usize,
        const P: usize,
        const OP: usize,
        const L: usize,
    > ConvTransposeDim<D<K>, D<S>, D<P>, D<OP>, D<L>> for D<H>
where
    D<H>: ToUnsigned
        + TransposeFits<D<K>, D<S>, D<P>, D<OP>, D<L>>
        + TransposeResultFits<D<K>, D<S>, D<P>, D<OP>, D<L>>,
    D<K>: ToUnsigned,
    D<S>: ToUnsigned,
    D<P>: ToUnsigned,
    D<OP>: ToUnsigned,
    D<L>: ToUnsigned,
{
    type Output = <D<H> as TransposeResultFits<D<K>, D<S>, D<P>, D<OP>, D<L>>>::Output;
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

// Equal dims broadcast to themselves for every dim, so code generic over a dim `B` can add
// `(B, D<64>)` to `(B, D<64>)` without a bound. The other impls cover exactly the pairs with a
// `D<1>` or a `Dyn` on one side and a different dim on the other (`NotOne` keeps them apart from the
// blanket impl, which coherence checks on the concrete `D<1>`); unequal static dims have no impl.
impl<T: Dim> BroadcastDim<T> for T {
    type Output = T;
}
impl<const B: usize> BroadcastDim<D<B>> for D<1>
where
    D<B>: NotOne,
{
    type Output = D<B>;
}
impl<const A: usize> BroadcastDim<D<1>> for D<A>
where
    D<A>: NotOne,
{
    type Output = D<A>;
}
// `Dyn` against a static dim other than `D<1>` takes that dim (or fails at run time).
impl<const B: usize> BroadcastDim<D<B>> for Dyn
where
    D<B>: NotOne,
{
    type Output = D<B>;
}
impl<const A: usize> BroadcastDim<Dyn> for D<A>
where
    D<A>: NotOne,
{
    type Output = D<A>;
}
impl BroadcastDim<D<1>> for Dyn {
    type Output = Dyn;
}
impl BroadcastDim<Dyn> for D<1> {
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
    D<M>: ToUnsigned + SliceFits<D<S>, D<L>>,
    D<S>: ToUnsigned,
    D<L>: ToUnsigned,
{
}

/// Holds when input channels `Self` equal `Cg * G` (weight in-channels per group times groups).
#[diagnostic::on_unimplemented(
    message = "convolution input has `{Self}` channels, but the weight expects `{Cg}` per group x `{G}` groups",
    label = "input channels must equal the weight's in-channels times the groups"
)]
pub trait GroupedChannels<Cg, G>: Dim {}

impl<const C: usize, const CG: usize, const G: usize> GroupedChannels<D<CG>, D<G>> for D<C>
where
    D<C>: ToUnsigned + ChannelsMatch<D<CG>, D<G>>,
    D<CG>: ToUnsigned,
    D<G>: ToUnsigned,
{
}
impl<Cg, G> GroupedChannels<Cg, G> for Dyn {}

/// The smaller of two dims, computed at compile time (`D<5>` and `D<3>` give `D<3>`); `Dyn` when
/// either is `Dyn`. The inner size of a reduced QR or SVD of an `M x N` matrix.
#[diagnostic::on_unimplemented(
    message = "cannot take the smaller of dims `{Self}` and `{Rhs}` at compile time"
)]
pub trait DimMin<Rhs>: Dim {
    /// The smaller dim.
    type Output: Dim;
}
/// The smaller of two dims.
pub type Min<A, B> = <A as DimMin<B>>::Output;

impl<const A: usize, const B: usize> DimMin<D<B>> for D<A>
where
    D<A>: ToUnsigned,
    D<B>: ToUnsigned,
    <D<A> as ToUnsigned>::Output: typenum::Min<<D<B> as ToUnsigned>::Output>,
    typenum::Minimum<<D<A> as ToUnsigned>::Output, <D<B> as ToUnsigned>::Output>:
        super::tables::ToDim,
{
    type Output = <typenum::Minimum<
        <D<A> as ToUnsigned>::Output,
        <D<B> as ToUnsigned>::Output,
    > as super::tables::ToDim>::Output;
}
impl<B: Dim> DimMin<B> for Dyn {
    type Output = Dyn;
}
impl<const A: usize> DimMin<Dyn> for D<A> {
    type Output = Dyn;
}
