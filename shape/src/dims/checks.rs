//! Compile-time conditions stated on the user's dims, with messages that name them.
//!
//! Each condition is computed on typenum numbers (a bit that is `B1` when it holds), but the trait
//! that states it is implemented for the dims themselves (`D<6>: MultipleOf<D<3>>`) by one blanket
//! impl marked `#[diagnostic::do_not_recommend]`. When the condition fails, rustc then reports the
//! trait on the dims ("`D<4>` does not divide `D<6>` exactly", "the trait `MultipleOf<D<4>>` is not
//! implemented for `D<6>`") instead of descending into the computation, so no typenum type, `B0` or
//! impl listing of the machinery reaches the user.
use super::dim::{Dim, D};
use super::tables::{MaxResult, ToDim, ToDimSat, ToUnsigned};
use core::ops::{Add as TAdd, Div as TDiv, Mul as TMul, Rem as TRem, Sub as TSub};
use typenum::{
    Diff, Eq, GrEq, IsEqual, IsGreaterOrEqual, IsLessOrEqual, LeEq, Max, Maximum, Mod, Prod, Quot,
    Sum, B1, U1, U2,
};

type N<X> = <X as ToUnsigned>::Output;
type Back<X> = <X as ToDim>::Output;
type Sat<X> = <X as ToDimSat>::Output;

/// A computed condition that holds: implemented only for typenum's `B1`.
#[doc(hidden)]
pub trait IsTrue {}
impl IsTrue for B1 {}

/// Holds when `Rhs` divides `Self` exactly (e.g. attention heads into the model dim); gives the
/// quotient.
///
/// ```
/// use typed_torch_shape::dims::{D, MultipleOf};
/// let _: <D<512> as MultipleOf<D<8>>>::Quotient = D::<64>;
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Rhs}` does not divide `{Self}` exactly",
    label = "this needs `{Self}` to be a multiple of `{Rhs}`"
)]
pub trait MultipleOf<Rhs>: Dim {
    /// `Self / Rhs`.
    type Quotient: Dim;
}
#[diagnostic::do_not_recommend]
impl<const A: usize, const B: usize> MultipleOf<D<B>> for D<A>
where
    D<A>: ToUnsigned,
    D<B>: ToUnsigned,
    N<D<A>>: TRem<N<D<B>>> + TDiv<N<D<B>>>,
    Mod<N<D<A>>, N<D<B>>>: ToDim,
    // Checked as a dim (`D<1>: RemainderIsZero`) rather than a typenum bit: the constructor errors of
    // layers (E0599) list this last bound verbatim.
    Back<Mod<N<D<A>>, N<D<B>>>>: RemainderIsZero,
    Quot<N<D<A>>, N<D<B>>>: ToDim,
{
    type Quotient = Back<Quot<N<D<A>>, N<D<B>>>>;
}

/// The remainder of an exact division: only `D<0>`.
#[doc(hidden)]
pub trait RemainderIsZero {}
impl RemainderIsZero for D<0> {}

/// Holds when `Self * Rhs` is at most `D<65536>`, the largest static result; gives the product.
#[diagnostic::on_unimplemented(
    message = "the product of `{Self}` and `{Rhs}` is larger than `D<65536>`, the largest static dim typed-torch computes",
    label = "static result too large",
    note = "use `Dyn` for one of these dims: the size is then checked at run time"
)]
pub trait ProductFits<Rhs>: Dim {
    /// `Self * Rhs`.
    type Product: Dim;
}
#[diagnostic::do_not_recommend]
impl<const A: usize, const B: usize> ProductFits<D<B>> for D<A>
where
    D<A>: ToUnsigned,
    D<B>: ToUnsigned,
    N<D<A>>: TMul<N<D<B>>>,
    Prod<N<D<A>>, N<D<B>>>: IsLessOrEqual<MaxResult> + ToDimSat,
    LeEq<Prod<N<D<A>>, N<D<B>>>, MaxResult>: IsTrue,
{
    type Product = Sat<Prod<N<D<A>>, N<D<B>>>>;
}

/// Holds when `Self + Rhs` is at most `D<65536>`, the largest static result; gives the sum.
#[diagnostic::on_unimplemented(
    message = "`{Self}` + `{Rhs}` is larger than `D<65536>`, the largest static dim typed-torch computes",
    label = "static result too large",
    note = "use `Dyn` for one of these dims: the size is then checked at run time"
)]
pub trait SumFits<Rhs>: Dim {
    /// `Self + Rhs`.
    type Sum: Dim;
}
#[diagnostic::do_not_recommend]
impl<const A: usize, const B: usize> SumFits<D<B>> for D<A>
where
    D<A>: ToUnsigned,
    D<B>: ToUnsigned,
    N<D<A>>: TAdd<N<D<B>>>,
    Sum<N<D<A>>, N<D<B>>>: IsLessOrEqual<MaxResult> + ToDimSat,
    LeEq<Sum<N<D<A>>, N<D<B>>>, MaxResult>: IsTrue,
{
    type Sum = Sat<Sum<N<D<A>>, N<D<B>>>>;
}

type Padded<H, P> = Sum<N<H>, Prod<N<P>, U2>>;
type Span<K, L> = Sum<Prod<N<L>, Diff<N<K>, U1>>, U1>;
// Padded input minus the window, saturating at 0 so an oversized kernel fails only the fit check.
type Slack<H, K, P, L> = Diff<Maximum<Padded<H, P>, Span<K, L>>, Span<K, L>>;

/// Holds when a window of `K` (stride `S`, padding `P`, dilation `L`) fits an input of `Self`;
/// gives the output size (PyTorch's formula, floor mode).
#[diagnostic::on_unimplemented(
    message = "kernel `{K}` (dilation `{L}`) does not fit input `{Self}` with padding `{P}`",
    label = "the window is larger than the padded input",
    note = "the padded input is H + 2*P and the window spans L*(K-1)+1"
)]
pub trait KernelFits<K, S, P, L>: Dim {
    /// `(H + 2P - L*(K-1) - 1) / S + 1`.
    type Output: Dim;
}
#[diagnostic::do_not_recommend]
impl<const H: usize, const K: usize, const S: usize, const P: usize, const L: usize>
    KernelFits<D<K>, D<S>, D<P>, D<L>> for D<H>
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
    GrEq<Padded<D<H>, D<P>>, Span<D<K>, D<L>>>: IsTrue,
    Maximum<Padded<D<H>, D<P>>, Span<D<K>, D<L>>>: TSub<Span<D<K>, D<L>>>,
    Slack<D<H>, D<K>, D<P>, D<L>>: TDiv<N<D<S>>>,
    Quot<Slack<D<H>, D<K>, D<P>, D<L>>, N<D<S>>>: TAdd<U1>,
    Sum<Quot<Slack<D<H>, D<K>, D<P>, D<L>>, N<D<S>>>, U1>: ToDim,
{
    type Output = Back<Sum<Quot<Slack<D<H>, D<K>, D<P>, D<L>>, N<D<S>>>, U1>>;
}

// Everything but the padding: (H-1)*S + L*(K-1) + OP + 1.
type Grown<H, K, S, OP, L> = Sum<Sum<Prod<Diff<N<H>, U1>, N<S>>, Span<K, L>>, N<OP>>;
type PadTwiceAndOne<P> = Sum<Prod<N<P>, U2>, U1>;
// The output: `Grown - 2P`, saturating at 0 (an empty output fails only `TransposeFits`).
type Unpadded<H, K, S, P, OP, L> =
    Diff<Maximum<Grown<H, K, S, OP, L>, Prod<N<P>, U2>>, Prod<N<P>, U2>>;

/// Holds when a transposed convolution over `Self` (kernel `K`, stride `S`, padding `P`, output
/// padding `OP`, dilation `L`) yields at least one output element.
#[diagnostic::on_unimplemented(
    message = "transposed convolution of `{Self}` with kernel `{K}`, stride `{S}`, padding `{P}` has no output",
    label = "padding removes the whole output"
)]
pub trait TransposeFits<K, S, P, OP, L>: Dim {}
#[diagnostic::do_not_recommend]
impl<
        const H: usize,
        const K: usize,
        const S: usize,
        const P: usize,
        const OP: usize,
        const L: usize,
    > TransposeFits<D<K>, D<S>, D<P>, D<OP>, D<L>> for D<H>
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
    Grown<D<H>, D<K>, D<S>, D<OP>, D<L>>: IsGreaterOrEqual<PadTwiceAndOne<D<P>>>,
    GrEq<Grown<D<H>, D<K>, D<S>, D<OP>, D<L>>, PadTwiceAndOne<D<P>>>: IsTrue,
{
}

/// Holds when a transposed convolution's output over `Self` is at most `D<65536>`; gives it:
/// `(H-1)*S - 2P + L*(K-1) + OP + 1`.
#[diagnostic::on_unimplemented(
    message = "transposed convolution of `{Self}` with kernel `{K}` and stride `{S}` gives more than `D<65536>`",
    label = "static result too large",
    note = "use `Dyn` for the input dim: the size is then checked at run time"
)]
pub trait TransposeResultFits<K, S, P, OP, L>: Dim {
    /// The output size.
    type Output: Dim;
}
#[diagnostic::do_not_recommend]
impl<
        const H: usize,
        const K: usize,
        const S: usize,
        const P: usize,
        const OP: usize,
        const L: usize,
    > TransposeResultFits<D<K>, D<S>, D<P>, D<OP>, D<L>> for D<H>
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
    Grown<D<H>, D<K>, D<S>, D<OP>, D<L>>: Max<Prod<N<D<P>>, U2>>,
    Maximum<Grown<D<H>, D<K>, D<S>, D<OP>, D<L>>, Prod<N<D<P>>, U2>>: TSub<Prod<N<D<P>>, U2>>,
    Unpadded<D<H>, D<K>, D<S>, D<P>, D<OP>, D<L>>: IsLessOrEqual<MaxResult> + ToDimSat,
    LeEq<Unpadded<D<H>, D<K>, D<S>, D<P>, D<OP>, D<L>>, MaxResult>: IsTrue,
{
    type Output = Sat<Unpadded<D<H>, D<K>, D<S>, D<P>, D<OP>, D<L>>>;
}

/// Holds when the slice `Start..Start+Len` stays inside `Self`.
#[diagnostic::on_unimplemented(
    message = "slice of `{Len}` starting at `{Start}` runs past the end of dim `{Self}`",
    label = "needs start + length <= size"
)]
pub trait SliceFits<Start, Len>: Dim {}
#[diagnostic::do_not_recommend]
impl<const M: usize, const S: usize, const L: usize> SliceFits<D<S>, D<L>> for D<M>
where
    D<M>: ToUnsigned,
    D<S>: ToUnsigned,
    D<L>: ToUnsigned,
    N<D<S>>: TAdd<N<D<L>>>,
    N<D<M>>: IsGreaterOrEqual<Sum<N<D<S>>, N<D<L>>>>,
    GrEq<N<D<M>>, Sum<N<D<S>>, N<D<L>>>>: IsTrue,
{
}

/// Holds when `Self` input channels equal `Cg * G` (a grouped convolution's weight in-channels
/// per group times the groups).
#[diagnostic::on_unimplemented(
    message = "convolution input has `{Self}` channels, but the weight expects `{Cg}` per group x `{G}` groups",
    label = "input channels must equal the weight's in-channels times the groups"
)]
pub trait ChannelsMatch<Cg, G>: Dim {}
#[diagnostic::do_not_recommend]
impl<const C: usize, const CG: usize, const G: usize> ChannelsMatch<D<CG>, D<G>> for D<C>
where
    D<C>: ToUnsigned,
    D<CG>: ToUnsigned,
    D<G>: ToUnsigned,
    N<D<CG>>: TMul<N<D<G>>>,
    Prod<N<D<CG>>, N<D<G>>>: IsEqual<N<D<C>>>,
    Eq<Prod<N<D<CG>>, N<D<G>>>, N<D<C>>>: IsTrue,
{
}

/// A static dim other than `D<1>`: the dims that broadcasting stretches a `D<1>` to.
#[doc(hidden)]
pub trait NotOne: Dim {}
impl<const M: usize> NotOne for D<M>
where
    D<M>: ToUnsigned,
    N<D<M>>: NotOneNumber,
{
}

/// typenum numbers other than 1: zero, and those of two or more bits.
#[doc(hidden)]
pub trait NotOneNumber {}
impl NotOneNumber for typenum::UTerm {}
impl<U, B, X> NotOneNumber for typenum::UInt<typenum::UInt<U, B>, X> {}
