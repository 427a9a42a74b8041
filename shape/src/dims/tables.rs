//! Generated tables between `D<N>` and typenum numbers (see `build/tables.rs` for why they are shaped so).
use super::dim::D;
use core::ops::{BitAnd, Shr};
use typenum::{And, Shright, UInt, UTerm, B0, B1, U255, U8};

/// The largest static result, as a typenum number.
pub type MaxResult = typenum::U65536;

/// Maps a static dim to its typenum number. Implemented for `D<0>` to `D<4096>`.
#[diagnostic::on_unimplemented(
    message = "static dim `{Self}` is too large for compile-time shape arithmetic",
    label = "typed-torch computes static shapes from dims up to `D<4096>`",
    note = "use `Dyn` for this dim: its size is then checked at run time"
)]
pub trait ToUnsigned {
    /// The typenum number.
    type Output: typenum::Unsigned;
}

#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "the result of this shape arithmetic is larger than `D<65536>`",
    label = "typed-torch computes static dims up to `D<65536>`",
    note = "use `Dyn` for this dim: its size is then checked at run time"
)]
pub trait ToHigh {
    type Output;
}

#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "the result of this shape arithmetic is larger than `D<65536>`",
    label = "typed-torch computes static dims up to `D<65536>`",
    note = "use `Dyn` for this dim: its size is then checked at run time"
)]
pub trait WithLow<L> {
    type Output: super::Dim;
}

/// Maps a typenum number back to a static dim `D<M>`, for `M` up to 65536.
pub trait ToDim {
    /// The dim.
    type Output: super::Dim;
}

impl<N> ToDim for N
where
    N: Shr<U8> + BitAnd<U255>,
    Shright<N, U8>: ToHigh,
    <Shright<N, U8> as ToHigh>::Output: WithLow<And<N, U255>>,
{
    type Output = <<Shright<N, U8> as ToHigh>::Output as WithLow<And<N, U255>>>::Output;
}

include!(concat!(env!("OUT_DIR"), "/dim_tables.rs"));

/// Maps a typenum number to `D<M>`, saturating at `D<65536>`: callers pair it with a check trait
/// that reports an oversized result in the user's dims, so the conversion itself never fails.
pub trait ToDimSat {
    /// The dim.
    type Output: super::Dim;
}
impl<N> ToDimSat for N
where
    N: typenum::Min<MaxResult>,
    typenum::Minimum<N, MaxResult>: ToDim,
{
    type Output = <typenum::Minimum<N, MaxResult> as ToDim>::Output;
}
