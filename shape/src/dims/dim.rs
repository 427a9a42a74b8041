//! The two kinds of dim: static `D<N>` and run-time `Dyn`.

/// A dim whose size `N` is known at compile time.
///
/// ```
/// use typed_torch_shape::dims::{D, Dim};
/// assert_eq!(<D<28> as Dim>::STATIC, Some(28));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct D<const N: usize>;

/// A dim whose size is known only at run time (typically the batch).
///
/// ```
/// use typed_torch_shape::dims::{Dyn, Dim};
/// assert_eq!(<Dyn as Dim>::STATIC, None);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Dyn;

mod sealed {
    pub trait Sealed {}
    impl<const N: usize> Sealed for super::D<N> {}
    impl Sealed for super::Dyn {}
}

/// A dim of a shape: [`D<N>`] or [`Dyn`]. Sealed: no other dims exist.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a dim",
    label = "expected `D<N>` or `Dyn` here",
    note = "shapes are tuples of dims, e.g. `(Dyn, D<784>)`"
)]
pub trait Dim: sealed::Sealed + Copy + Default + Send + Sync + core::fmt::Debug + 'static {
    /// The size when it is known at compile time.
    const STATIC: Option<usize>;
}

impl<const N: usize> Dim for D<N> {
    const STATIC: Option<usize> = Some(N);
}

impl Dim for Dyn {
    const STATIC: Option<usize> = None;
}

/// A dim whose size is known at compile time.
pub trait StaticDim: Dim {
    /// The size.
    const SIZE: usize;
}

impl<const N: usize> StaticDim for D<N> {
    const SIZE: usize = N;
}
