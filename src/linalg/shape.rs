//! Which shapes are matrices, square matrices, 3-vectors and right-hand sides, decided by the
//! compiler: the last two dims of a matrix are its rows and columns, the dims before them a batch.
use crate::dims::{Dim, Dyn, D};
use crate::shape::Shape;

/// A matrix, or a batch of matrices: the last two dims are rows and columns, any dims before
/// them (up to rank 6) a batch that every linear-algebra op maps over.
///
/// The associated shapes name what ops return: [`Batch`](Self::Batch) for one number per matrix
/// (`det`, norms), [`Vector`](Self::Vector) for one vector per matrix (eigenvalues, `mv`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a matrix: linear algebra needs at least two dims",
    label = "the last two dims are a matrix's rows and columns; dims before them are a batch"
)]
pub trait MatrixShape: Shape {
    /// The batch dims before the matrix (`()` for one matrix).
    type Batch: Shape;
    /// The number of rows.
    type Rows: Dim;
    /// The number of columns.
    type Cols: Dim;
    /// The transposed shape: rows and columns swapped.
    type Transposed: MatrixShape<Batch = Self::Batch, Rows = Self::Cols, Cols = Self::Rows>;
    /// The batch followed by one dim: a vector per matrix.
    type Vector<X: Dim>: Shape;
    /// The same batch and rows, `X` columns.
    type WithCols<X: Dim>: MatrixShape<Batch = Self::Batch>;
    /// The same batch and columns, `X` rows.
    type WithRows<X: Dim>: MatrixShape<Batch = Self::Batch>;
    /// The shape of `m^T m`: the batch and `Cols x Cols`.
    type Gram: SquareShape<Batch = Self::Batch, Size = Self::Cols>;
}

/// A square matrix, or a batch of them: the last two dims are the same dim, so `det`, `inv`,
/// `trace` and the decompositions of symmetric matrices apply. `(Dyn, Dyn)` is square here and
/// checked at run time.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a square matrix",
    label = "this op needs the last two dims to be the same dim",
    note = "a matrix of `Dyn` rows and `Dyn` columns is checked at run time instead"
)]
pub trait SquareShape: MatrixShape {
    /// The size `N` of the `N x N` matrices.
    type Size: Dim;
}

/// The right-hand side `b` of `a.solve(&b)` for a square `A`: one vector of `A`'s size per matrix
/// (rank one less than `A`), or a matrix with as many rows (same rank as `A`), with `A`'s batch.
#[diagnostic::on_unimplemented(
    message = "cannot solve `A x = b` for `A` of shape `{A}` and `b` of shape `{Self}`",
    label = "`b` must be a vector as long as `A` is wide, or a matrix with as many rows as `A`, with `A`'s batch dims",
    note = "for `A: (N, N)`, `b` is `(N,)` or `(N, K)`; for `A: (B, N, N)`, `b` is `(B, N)` or `(B, N, K)`"
)]
pub trait SolveRhs<A: SquareShape>: Shape {}

/// A dim that a cross product accepts: 3, or `Dyn` (checked at run time).
#[diagnostic::on_unimplemented(
    message = "cross products are defined for 3-vectors, found vectors of `{Self}`",
    label = "the last dim must be `D<3>`"
)]
pub trait CrossDim: Dim {}
impl CrossDim for D<3> {}
impl CrossDim for Dyn {}

/// One impl of each trait per rank: `$b` are the batch dims.
macro_rules! matrix_rank {
    ($($b:ident),*) => {
        impl<$($b: Dim,)* M: Dim, N: Dim> MatrixShape for ($($b,)* M, N) {
            type Batch = ($($b,)*);
            type Rows = M;
            type Cols = N;
            type Transposed = ($($b,)* N, M);
            type Vector<X: Dim> = ($($b,)* X,);
            type WithCols<X: Dim> = ($($b,)* M, X);
            type WithRows<X: Dim> = ($($b,)* X, N);
            type Gram = ($($b,)* N, N);
        }
        impl<$($b: Dim,)* N: Dim> SquareShape for ($($b,)* N, N) {
            type Size = N;
        }
        // Not listed in errors: the trait's note says the rule in one line.
        #[diagnostic::do_not_recommend]
        impl<$($b: Dim,)* N: Dim> SolveRhs<($($b,)* N, N)> for ($($b,)* N,) {}
        #[diagnostic::do_not_recommend]
        impl<$($b: Dim,)* N: Dim, K: Dim> SolveRhs<($($b,)* N, N)> for ($($b,)* N, K) {}
    };
}
matrix_rank!();
matrix_rank!(B1);
matrix_rank!(B1, B2);
matrix_rank!(B1, B2, B3);
matrix_rank!(B1, B2, B3, B4);
