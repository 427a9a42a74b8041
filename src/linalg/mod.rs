//! Statically sized linear algebra with gradients, after Haskell's `hmatrix-backprop`.
//!
//! Vectors and matrices are tensors whose sizes are in their type: [`R<N>`](R), [`L<M, N>`](L)
//! and [`Sq<N>`](Sq) are aliases of [`Tensor`]; any dims before the last two make a batch that
//! every op maps over. Symmetric matrices are their own type, [`Symmetric`] ([`Sym<N>`](Sym)
//! for one), so `chol` and `eigensystem` accept only them; `det` and `inv` accept only square
//! shapes, and `solve` only a right-hand side of the matrix's size, all at compile time. `Dyn`
//! sizes work too and are checked at run time.
//!
//! Every op runs on libtorch's differentiable `linalg_*` kernel, so gradients (and gradients of
//! gradients) come from autograd. An input without an answer (a singular matrix given to `inv`,
//! a matrix that is not positive-definite given to `chol`, a NaN given to a decomposition)
//! returns [`Error::Linalg`](crate::Error::Linalg) from libtorch's `*_ex` info codes: no panic and
//! no silent NaN.
//!
//! ```
//! use typed_torch::linalg::{sym, L, R};
//!
//! // Least squares through the normal equations: (X^T X) w = X^T y.
//! let x = L::<4, 2, f64>::from_array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0], [1.0, 3.0]]);
//! let y = R::<4, f64>::from_array([1.0, 3.0, 5.0, 7.0]);
//! let gram = x.mtm();                       // Symmetric<(D<2>, D<2>)>
//! let factor = gram.chol().unwrap();        // lower-triangular L<2, 2>
//! let w = gram.solve(&x.mt().mv(&y)).unwrap();
//! assert!((w.to_vec()[0] - 1.0).abs() < 1e-12 && (w.to_vec()[1] - 2.0).abs() < 1e-12);
//! assert_eq!(factor.matmul(&factor.t()).to_vec(), gram.to_vec());
//! ```
//!
//! | hmatrix-backprop | typed-torch |
//! | --- | --- |
//! | `R n`, `L m n`, `Sq n`, `Sym n` | [`R<N>`](R), [`L<M, N>`](L), [`Sq<N>`](Sq), [`Sym<N>`](Sym) |
//! | `<.>`, `outer`, `cross` | `u.dot(&v)`, `u.outer(&v)`, `u.cross(&v)` |
//! | `#>`, `<>`, `mTm`, `tr` | `m.mv(&v)`, `m.matmul(&n)`, `m.mtm()`, `m.mt()` |
//! | `trace`, `takeDiag`, `diag` | `m.trace()`, `m.diagonal()`, `v.diag()` |
//! | `det`, `lndet`, `inv`, `invlndet` | `m.det()`, `m.lndet()`, `m.inv()?`, `m.invlndet()?` |
//! | `<\>`, `linSolve`, `cholSolve` | `m.solve(&b)?`, `l.chol_solve(&b)?` (and triangular solves) |
//! | `chol`, `eigensystem`, `eigenvalues` | `s.chol()?`, `s.eigensystem()?`, `s.eigenvalues()?` (on `Symmetric`) |
//! | `qr`, `svd`, `singularValues` | `m.qr()?`, `m.svd()?`, `m.svd_values()?` |
//! | `pinv`, `expm`, matrix power | `m.pinv()?`, `m.matrix_exp()`, `m.matrix_power(n)` |
//! | `norm_0`, `norm_1`, `norm_2`, `norm_Inf` (vectors) | `v.vector_norm_0()`, `_1`, `_2`, `_inf` |
//! | `norm_1`, `norm_2`, `norm_Inf`, `norm_Frob` (matrices) | `m.matrix_norm_1()`, `_2`, `_inf`, `_frob` |
//! | `sym`, `meanCov` | [`sym(&m)`](sym), `m.mean_cov()` |
mod checks;
mod decompose;
mod norms;
mod products;
mod shape;
mod symmetric;

pub use decompose::{Eigensystem, Inner, LogDet, Qr, Svd};
pub use shape::{CrossDim, MatrixShape, SolveRhs, SquareShape};
pub use symmetric::{sym, Sym, Symmetric};

use crate::device::{Cpu, Device};
use crate::dims::D;
use crate::element::Float;
use crate::error::Result;
use crate::tensor::Tensor;

/// A vector of `N` entries, hmatrix's `R n`.
pub type R<const N: usize, E = f32, Dev = Cpu> = Tensor<(D<N>,), E, Dev>;

/// An `M x N` matrix, hmatrix's `L m n`.
pub type L<const M: usize, const N: usize, E = f32, Dev = Cpu> = Tensor<(D<M>, D<N>), E, Dev>;

/// A square `N x N` matrix, hmatrix's `Sq n`.
pub type Sq<const N: usize, E = f32, Dev = Cpu> = Tensor<(D<N>, D<N>), E, Dev>;

/// Holds for nothing: the bound of the `chol`, `eigensystem` and `eigenvalues` that a plain
/// tensor would otherwise find, so that calling them on one says what to do.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not known to be symmetric",
    label = "`chol`, `eigensystem` and `eigenvalues` take a `Symmetric` matrix",
    note = "make one with `linalg::sym(&m)` (the symmetric part, `(m + m^T) / 2`) or `Symmetric::try_new(m, tolerance)` (checked)"
)]
pub trait KnownSymmetric {}

impl<S: SquareShape, E: Float, Dev: Device> Tensor<S, E, Dev> {
    #[doc(hidden)]
    pub fn chol(&self) -> Result<Tensor<S, E, Dev>>
    where
        Self: KnownSymmetric,
    {
        unreachable!("no tensor is KnownSymmetric")
    }

    #[doc(hidden)]
    pub fn eigensystem(&self) -> Result<Eigensystem<S, E, Dev>>
    where
        Self: KnownSymmetric,
    {
        unreachable!("no tensor is KnownSymmetric")
    }

    #[doc(hidden)]
    pub fn eigenvalues(&self) -> Result<Tensor<S::Vector<S::Size>, E, Dev>>
    where
        Self: KnownSymmetric,
    {
        unreachable!("no tensor is KnownSymmetric")
    }
}
