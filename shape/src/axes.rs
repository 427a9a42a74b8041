//! Operations on a shape's axes: pick, remove, replace, insert, swap, flatten, concatenate,
//! broadcast, permute, append.
use crate::dims::{Dim, DimSlice, D};
use crate::Shape;

/// Holds when axis `AX` of the shape is a static dim with room for the slice `Start..Start+Len`.
///
/// Stated on the shape rather than on the dim so that a failure reports the dim's own reason
/// (past the end, or a `Dyn` axis) instead of this trait's.
pub trait NarrowAxis<const AX: usize, Start, Len>: DimAt<AX> {}
impl<S: DimAt<AX>, Start, Len, const AX: usize> NarrowAxis<AX, Start, Len> for S where
    S::Output: DimSlice<Start, Len>
{
}

/// The dim at axis `AX`.
#[diagnostic::on_unimplemented(message = "axis {AX} is out of range for shape `{Self}`")]
pub trait DimAt<const AX: usize>: Shape {
    /// The dim.
    type Output: Dim;
}

/// The shape without axis `AX` (reductions), and with it kept as `D<1>` (keepdim reductions).
#[diagnostic::on_unimplemented(
    message = "axis {AX} is out of range for shape `{Self}`",
    label = "no axis {AX} here"
)]
pub trait RemoveAxis<const AX: usize>: Shape {
    /// The shape without the axis.
    type Output: Shape;
    /// The shape with the axis kept at size 1.
    type Kept: Shape;
}

/// The shape with axis `AX` replaced by dim `X`.
#[diagnostic::on_unimplemented(message = "axis {AX} is out of range for shape `{Self}`")]
pub trait ReplaceAxis<const AX: usize, X>: Shape {
    /// The new shape.
    type Output: Shape;
}

/// The shape with a new dim `X` inserted before axis `AX` (`AX` may equal the rank).
#[diagnostic::on_unimplemented(
    message = "cannot insert an axis at position {AX} of shape `{Self}`",
    label = "a new axis goes at a position from 0 to the rank, and ranks stop at 6"
)]
pub trait InsertAxis<const AX: usize, X>: Shape {
    /// The new shape.
    type Output: Shape;
}

/// A dim that `squeeze` can remove: only `D<1>`.
#[diagnostic::on_unimplemented(
    message = "cannot squeeze a `{Self}` axis",
    label = "only an axis of static size `D<1>` can be squeezed",
    note = "a `Dyn` axis can be made static first with `to_shape`"
)]
pub trait Squeezable: Dim {}
impl Squeezable for D<1> {}

/// The shape with axes `A` and `B` exchanged.
#[diagnostic::on_unimplemented(
    message = "cannot swap axes {A} and {B} of shape `{Self}`: out of range"
)]
pub trait SwapAxes<const A: usize, const B: usize>: Shape {
    /// The new shape.
    type Output: Shape;
}

/// The shape with axes `A..=B` merged into one whose size is their product.
#[diagnostic::on_unimplemented(
    message = "cannot flatten axes {A}..={B} of shape `{Self}`",
    label = "needs 0 <= A <= B < rank, and a product of at most `D<65536>` (or a `Dyn` among them)"
)]
pub trait FlattenAxes<const A: usize, const B: usize>: Shape {
    /// The new shape.
    type Output: Shape;
}

/// The shape of `Self` concatenated with `Rhs` along axis `AX`: sizes add there, others must agree.
#[diagnostic::on_unimplemented(
    message = "cannot concatenate `{Self}` with `{Rhs}` along axis {AX}",
    label = "all dims except axis {AX} must be equal"
)]
pub trait CatShape<Rhs, const AX: usize>: Shape {
    /// The new shape.
    type Output: Shape;
}

/// The numpy broadcast of `Self` with `Rhs`: right-aligned, dims equal or one of them `D<1>`.
#[diagnostic::on_unimplemented(
    message = "cannot broadcast shape `{Self}` with shape `{Rhs}`",
    label = "right-aligned dims must be equal, or one of them `D<1>`"
)]
pub trait BroadcastShape<Rhs>: Shape {
    /// The broadcast shape.
    type Output: Shape;
}

/// The shape with its axes reordered by `P` (one of [`Axes2`](crate::Axes2)..[`Axes6`](crate::Axes6)).
#[diagnostic::on_unimplemented(
    message = "`{P}` is not a permutation of the axes of shape `{Self}`",
    label = "list every axis of the shape exactly once"
)]
pub trait PermuteAxes<P>: Shape {
    /// The new shape.
    type Output: Shape;
}

/// The shape with dim `X` appended as a new last axis.
#[diagnostic::on_unimplemented(message = "cannot append an axis to `{Self}`: ranks stop at 6")]
pub trait AppendAxis<X>: Shape {
    /// The new shape.
    type Output: Shape;
}
/// An axis order for `permute`, e.g. `Axes3<2, 0, 1>` (the `Axes2`..`Axes6` structs are
/// generated with the other per-rank code).
pub trait AxisOrder {
    /// The axes in order.
    const AXES: &'static [i64];
}

/// Shapes of equal rank.
#[diagnostic::on_unimplemented(
    message = "`{Self}` and `{Other}` have different ranks",
    label = "the index must have the same rank as the tensor"
)]
pub trait SameRank<Other> {}

/// The shape followed by every axis of `Rhs`: the shape of a Jacobian or Hessian, whose axes are
/// the output's and then the input's.
#[diagnostic::on_unimplemented(
    message = "cannot join shapes `{Self}` and `{Rhs}`",
    label = "the joined shape would pass rank 6"
)]
pub trait JoinShape<Rhs>: Shape {
    /// The joined shape.
    type Output: Shape;
}

impl<S: Shape> JoinShape<()> for S {
    type Output = S;
}

/// One impl per rank of `Rhs`: append its first axis, then join the rest.
macro_rules! join_shape {
    ($first:ident $(, $rest:ident)*) => {
        impl<S, $first: Dim $(, $rest: Dim)*> JoinShape<($first, $($rest,)*)> for S
        where
            S: AppendAxis<$first>,
            <S as AppendAxis<$first>>::Output: JoinShape<($($rest,)*)>,
        {
            type Output = <<S as AppendAxis<$first>>::Output as JoinShape<($($rest,)*)>>::Output;
        }
    };
}
join_shape!(A);
join_shape!(A, B);
join_shape!(A, B, C);
join_shape!(A, B, C, E);
join_shape!(A, B, C, E, F);
join_shape!(A, B, C, E, F, G);

/// A shape of rank 1 or more split into its leading axes and its last dim.
#[diagnostic::on_unimplemented(message = "the scalar shape `()` has no last axis")]
pub trait SplitLast: Shape {
    /// The shape without its last axis.
    type Init: Shape;
    /// The last dim.
    type Last: Dim;
}

/// The shape without its last `N` axes: a distribution's batch shape once `N` axes are its event
/// (`Independent`), or what summing over the last `N` axes leaves.
#[diagnostic::on_unimplemented(
    message = "shape `{Self}` has fewer than {N} axes to take from its end",
    label = "not enough axes"
)]
pub trait DropLastAxes<const N: usize>: Shape {
    /// The remaining shape.
    type Output: Shape;
}

impl<S: Shape> DropLastAxes<0> for S {
    type Output = S;
}

/// One impl per count: drop one axis, then the other `N - 1`.
macro_rules! drop_last_axes {
    ($($n:literal => $rest:literal),*) => {$(
        impl<S: SplitLast> DropLastAxes<$n> for S
        where
            S::Init: DropLastAxes<$rest>,
        {
            type Output = <S::Init as DropLastAxes<$rest>>::Output;
        }
    )*};
}
drop_last_axes!(1 => 0, 2 => 1, 3 => 2, 4 => 3, 5 => 4, 6 => 5);
