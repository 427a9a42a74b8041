//! The `Shape` trait: tuples of up to [`MAX_RANK`](crate::MAX_RANK) dims.

pub(crate) mod sealed {
    /// Only the tuples `build/ranks.rs` generates impls for are shapes.
    pub trait Sealed {}
}

/// A tensor shape: a tuple of up to six dims, e.g. `(Dyn, D<1>, D<28>, D<28>)`.
///
/// ```
/// use typed_torch_shape::{dims::{Dyn, D}, Shape};
/// assert_eq!(<(Dyn, D<784>) as Shape>::RANK, 2);
/// assert_eq!(<(Dyn, D<784>) as Shape>::DIMS, &[None, Some(784)]);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a tensor shape",
    label = "shapes are tuples of up to 6 dims, e.g. `(Dyn, D<784>)`"
)]
pub trait Shape:
    sealed::Sealed + Copy + Default + Send + Sync + core::fmt::Debug + 'static
{
    /// Number of dims.
    const RANK: usize;
    /// Each dim's size, `None` for `Dyn`.
    const DIMS: &'static [Option<usize>];

    /// Whether concrete run-time `sizes` fit this shape (same rank; static dims equal).
    fn matches(sizes: &[i64]) -> bool {
        sizes.len() == Self::RANK
            && Self::DIMS
                .iter()
                .zip(sizes)
                .all(|(d, &s)| s >= 0 && d.is_none_or(|d| d as i64 == s))
    }

    /// Human-readable form, e.g. `(Dyn, D<784>)`, used in run-time errors.
    fn describe() -> String {
        let dims: Vec<String> = Self::DIMS
            .iter()
            .map(|d| d.map_or_else(|| "Dyn".to_string(), |n| format!("D<{n}>")))
            .collect();
        match dims.len() {
            1 => format!("({},)", dims[0]),
            _ => format!("({})", dims.join(", ")),
        }
    }
}

/// A shape all of whose dims are static, so tensors of it can be created without run-time sizes.
pub trait StaticShape: Shape {
    /// The sizes as `i64`, as libtorch takes them.
    fn sizes() -> Vec<i64> {
        Self::DIMS
            .iter()
            .map(|d| d.map_or(0, |d| d as i64))
            .collect()
    }
}
