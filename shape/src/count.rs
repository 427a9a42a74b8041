//! Element counts of shapes as typenum numbers: the reshape and flatten checks.
use crate::dims::{Dim, Dyn, IsTrue, MaxResult, ToDimSat, ToUnsigned, D};
use crate::Shape;
use core::ops::Mul;
use typenum::{Bit, Eq, IsEqual, IsLessOrEqual, LeEq, UInt, UTerm, Unsigned};

/// The element count of a shape as a type: a typenum number, or [`DynCount`] if any dim is `Dyn`.
#[doc(hidden)]
pub trait Numel {
    type Count;
}

/// Marks an element count that is known only at run time.
#[doc(hidden)]
pub struct DynCount;

#[doc(hidden)]
pub trait DimCount {
    type Count;
}
impl<const N: usize> DimCount for D<N>
where
    D<N>: ToUnsigned,
{
    type Count = <D<N> as ToUnsigned>::Output;
}
impl DimCount for Dyn {
    type Count = DynCount;
}

#[doc(hidden)]
pub trait CountMul<Rhs> {
    type Output;
}
impl<R> CountMul<R> for DynCount {
    type Output = DynCount;
}
impl<U, B> CountMul<DynCount> for UInt<U, B> {
    type Output = DynCount;
}
impl CountMul<DynCount> for UTerm {
    type Output = DynCount;
}
impl<U: Unsigned, B: Bit, U2: Unsigned, B2: Bit> CountMul<UInt<U2, B2>> for UInt<U, B>
where
    UInt<U, B>: Mul<UInt<U2, B2>>,
{
    type Output = <UInt<U, B> as Mul<UInt<U2, B2>>>::Output;
}
impl<U, B> CountMul<UTerm> for UInt<U, B> {
    type Output = UTerm;
}
impl<U2, B2> CountMul<UInt<U2, B2>> for UTerm {
    type Output = UTerm;
}
impl CountMul<UTerm> for UTerm {
    type Output = UTerm;
}

/// Compares two element counts: `B1`/`B0` when both are static, [`DynCount`] otherwise.
#[doc(hidden)]
pub trait CountEq<Rhs> {
    type Output;
}
impl<R> CountEq<R> for DynCount {
    type Output = DynCount;
}
impl<U, B> CountEq<DynCount> for UInt<U, B> {
    type Output = DynCount;
}
impl CountEq<DynCount> for UTerm {
    type Output = DynCount;
}
impl<U: Unsigned, B: Bit, U2: Unsigned, B2: Bit> CountEq<UInt<U2, B2>> for UInt<U, B>
where
    UInt<U, B>: IsEqual<UInt<U2, B2>>,
{
    type Output = Eq<UInt<U, B>, UInt<U2, B2>>;
}
impl<U, B> CountEq<UTerm> for UInt<U, B> {
    type Output = typenum::B0;
}
impl<U2, B2> CountEq<UInt<U2, B2>> for UTerm {
    type Output = typenum::B0;
}
impl CountEq<UTerm> for UTerm {
    type Output = typenum::B1;
}

/// Turns an element count back into a dim (`Dyn` for a run-time count).
#[doc(hidden)]
pub trait CountDim {
    type Output: Dim;
}
impl CountDim for DynCount {
    type Output = Dyn;
}
impl<U, B> CountDim for UInt<U, B>
where
    UInt<U, B>: ToDimSat,
{
    type Output = <UInt<U, B> as ToDimSat>::Output;
}

/// Whether an element count fits a static dim (`B1`/`B0`); a run-time count always does.
#[doc(hidden)]
pub trait CountFits {
    type Ok;
}
impl CountFits for DynCount {
    type Ok = typenum::B1;
}
impl CountFits for UTerm {
    type Ok = typenum::B1;
}
impl<U, B> CountFits for UInt<U, B>
where
    UInt<U, B>: IsLessOrEqual<MaxResult>,
{
    type Ok = LeEq<UInt<U, B>, MaxResult>;
}
impl CountDim for UTerm {
    type Output = D<0>;
}

/// Holds when the product of the dims `Self` is at most `D<65536>` (or one of them is `Dyn`); gives
/// that product as a dim (`Dyn` if any is `Dyn`).
///
/// The element count is computed on typenum numbers behind `#[diagnostic::do_not_recommend]`, so
/// a failure names the dims, never the count.
#[diagnostic::on_unimplemented(
    message = "the product of `{Self}` is larger than `D<65536>`, the largest static dim typed-torch computes",
    label = "static result too large",
    note = "use `Dyn` for one of these dims: the size is then checked at run time"
)]
pub trait NumelFits: Shape {
    /// The product.
    type Output: Dim;
}
#[diagnostic::do_not_recommend]
impl<S: Shape + Numel> NumelFits for S
where
    S::Count: CountDim + CountFits,
    <S::Count as CountFits>::Ok: IsTrue,
{
    type Output = <S::Count as CountDim>::Output;
}

/// Holds when shape `Self` can be reshaped into `S2` at compile time: both static, with equal
/// element counts (shapes with `Dyn` dims use the run-time checked `try_reshape`).
#[diagnostic::on_unimplemented(
    message = "cannot reshape `{Self}` into `{S2}` at compile time",
    label = "needs static shapes with equal element counts",
    note = "for shapes with `Dyn` dims use `try_reshape`, which checks the counts at run time"
)]
pub trait ReshapeInto<S2>: Shape + Numel {}
#[diagnostic::do_not_recommend]
impl<S: Shape + Numel, S2: Shape + Numel> ReshapeInto<S2> for S
where
    S::Count: CountEq<S2::Count>,
    <S::Count as CountEq<S2::Count>>::Output: IsTrue,
{
}
