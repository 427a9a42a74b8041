//! # Linear algebra: sizes in the type, gradients through every decomposition
//!
//! [`linalg`](crate::linalg) is statically sized linear algebra after Haskell's
//! `hmatrix-backprop`: a vector knows its length and a matrix its rows and columns, so a
//! right-hand side of the wrong length, the determinant of a rectangle or a Cholesky factor of a
//! matrix not known to be symmetric do not compile. Every op runs on libtorch's `linalg_*`
//! kernels, so every op is differentiable (twice, for `det`, `inv`, `solve` and `chol`), and an
//! input without an answer, a singular matrix or one that is not positive-definite, is an
//! [`Error::Linalg`](crate::Error::Linalg) you can handle, never a panic or a NaN.
//!
//! ## The types
//!
//! | hmatrix-backprop | typed-torch | is |
//! | --- | --- | --- |
//! | `R n` | [`R<N>`](crate::linalg::R) | `Tensor<(D<N>,)>` |
//! | `L m n` | [`L<M, N>`](crate::linalg::L) | `Tensor<(D<M>, D<N>)>` |
//! | `Sq n` | [`Sq<N>`](crate::linalg::Sq) | `Tensor<(D<N>, D<N>)>` |
//! | `Sym n` | [`Sym<N>`](crate::linalg::Sym) | `Symmetric<(D<N>, D<N>)>`, its own type |
//!
//! The aliases take the element type and device after the sizes, as [`Tensor`](crate::Tensor)
//! does: `L<3, 2, f64>`. They are ordinary tensors, so everything else (`+`, `matmul`, `exp`,
//! autograd) applies. Dims before the last two are a batch: `Tensor<(D<8>, D<3>, D<3>)>` is eight
//! square matrices, and `det` of it is `Tensor<(D<8>,)>`, one determinant each. `Dyn` works in
//! any place, with the sizes checked at run time.
//!
//! [`Symmetric`](crate::linalg::Symmetric) wraps a tensor that equals its transpose. You get one
//! from [`sym`](crate::linalg::sym) (the symmetric part `(m + m^T) / 2`, through which gradients
//! flow), from [`Symmetric::try_new`](crate::linalg::Symmetric::try_new) (which checks within a
//! tolerance), or from ops that build one: `m.mtm()` (`m^T m`) and `x.mean_cov()` (a
//! covariance). It derefs to its tensor; `add_diagonal`, `add_to_diagonal`, `scale` and `plus`
//! keep it symmetric.
//!
//! ```
//! use typed_torch::linalg::{sym, Sq, Sym, Symmetric, L};
//!
//! let m = Sq::<3, f64>::from_array([[4.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 2.0]]);
//! let s: Sym<3, f64> = Symmetric::try_new(m.deep_clone(), 1e-12).unwrap();
//! let spd = s.add_diagonal(1.0);              // still a Sym<3>
//! let factor = spd.chol().unwrap();           // Sq<3>, lower triangular
//! let back = factor.matmul(&factor.t());
//! let worst = (&back - spd.as_tensor()).abs().to_vec().into_iter().fold(0.0, f64::max);
//! assert!(worst < 1e-12);
//!
//! let x = L::<5, 3, f64>::randn();
//! let (values, vectors) = x.mtm().eigensystem().unwrap(); // R<3>, Sq<3>
//! assert_eq!((values.size(), vectors.size()), (vec![3], vec![3, 3]));
//! let _ = sym(&m);
//! ```
//!
//! ## What does not compile, and what it says
//!
//! The compile-fail suite (`ui-tests/tests/fail/linalg`) keeps each message as users see it:
//!
//! * `L::<3, 4>::ones().det()`: "`(D<3>, D<4>)` is not a square matrix", labelled "this op needs
//!   the last two dims to be the same dim";
//! * `Sq::<3>::ones().chol()`: "`Tensor<(D<3>, D<3>), f64>` is not known to be symmetric", with
//!   the note "make one with `linalg::sym(&m)` ... or `Symmetric::try_new(m, tolerance)`";
//! * `a.solve(&b)` with `a: Sq<3>` and `b: R<4>`: "cannot solve `A x = b` for `A` of shape
//!   `(D<3>, D<3>)` and `b` of shape `(D<4>,)`";
//! * `u.cross(&v)` of 4-vectors: "cross products are defined for 3-vectors, found vectors of
//!   `D<4>`"; `u.dot(&v)` of lengths 3 and 4: a type mismatch between `R<3>` and `R<4>`.
//!
//! ## Operations
//!
//! | hmatrix-backprop | typed-torch | shapes |
//! | --- | --- | --- |
//! | `<.>` | `u.dot(&v)` | `R<N>, R<N> -> ()` |
//! | `outer` | `u.outer(&v)` | `R<M>, R<N> -> L<M, N>` |
//! | `cross` | `u.cross(&v)` | `R<3>, R<3> -> R<3>` |
//! | `#>` | `m.mv(&v)` | `L<M, N>, R<N> -> R<M>` |
//! | `<>` | `m.matmul(&n)` | `L<M, K>, L<K, N> -> L<M, N>` |
//! | `tr` | `m.mt()` | `L<M, N> -> L<N, M>` |
//! | `mTm` | `m.mtm()` | `L<M, N> -> Sym<N>` |
//! | `trace`, `takeDiag` | `m.trace()`, `m.diagonal()` | `Sq<N> -> ()`, `Sq<N> -> R<N>` |
//! | `diag` | `v.diag()` | `R<N> -> Sq<N>` |
//! | `det` | `m.det()` | `Sq<N> -> ()` |
//! | `lndet` | `m.lndet()` | `Sq<N> -> ((), ())`: log `|det|` and its sign |
//! | `inv` | `m.inv()?` | `Sq<N> -> Sq<N>` |
//! | `invlndet` | `m.invlndet()?` | `Sq<N> -> (Sq<N>, ((), ()))` |
//! | `<\>`, `linSolve` | `a.solve(&b)?` | `Sq<N>, R<N> -> R<N>`; `Sq<N>, L<N, K> -> L<N, K>` |
//! | `chol` | `s.chol()?` | `Sym<N> -> Sq<N>` (lower) |
//! | `cholSolve` | `l.chol_solve(&b)?` | `Sq<N>` (a factor from `chol`), `R<N>` or `L<N, K>` -> the same |
//! | triangular solves | `t.solve_lower_triangular(&b)?`, `t.solve_upper_triangular(&b)?` | as `solve` |
//! | `eigensystem`, `eigenvalues` | `s.eigensystem()?`, `s.eigenvalues()?` | `Sym<N> -> (R<N>, Sq<N>)`, ascending |
//! | `qr` | `m.qr()?` | `L<M, N> -> (L<M, K>, L<K, N>)`, `K = min(M, N)` |
//! | `svd`, `singularValues` | `m.svd()?`, `m.svd_values()?` | `L<M, N> -> (L<M, K>, R<K>, L<K, N>)` |
//! | `pinv` | `m.pinv()?` | `L<M, N> -> L<N, M>` |
//! | `expm`, power | `m.matrix_exp()`, `m.matrix_power(k)` | `Sq<N> -> Sq<N>` |
//! | `norm_0/1/2/Inf` of vectors | `v.vector_norm_0()`, `_1`, `_2`, `_inf` | `R<N> -> ()` |
//! | `norm_1/2/Inf/Frob` of matrices | `m.matrix_norm_1()`, `_2`, `_inf`, `_frob` | `L<M, N> -> ()` |
//! | `meanCov` | `x.mean_cov()` | `L<M, N> -> (R<N>, Sym<N>)` |
//! | `sym` | `sym(&m)` | `Sq<N> -> Sym<N>` |
//!
//! `K = min(M, N)` is computed by the compiler: the reduced QR of an `L<5, 3>` is an `L<5, 3>`
//! and an `L<3, 3>`. Two conventions differ from hmatrix: eigenvalues come in ascending order
//! (LAPACK's and PyTorch's), and the SVD is the thin one.
//!
//! ## Gradients
//!
//! Every op above is differentiable through autograd or through
//! [`functional`](crate::functional). Decompositions have gradients where the mathematics does:
//! eigenvectors and singular vectors where the values are distinct, QR where the leading block
//! is full rank. The tests check each against PyTorch and against finite differences over random
//! sizes, as hmatrix-backprop's "nudge" tests do, and the second derivatives of `det`, `inv`,
//! `solve` and `chol` by nudging the gradient.
//!
//! ```
//! use typed_torch::functional::{grad, hessian};
//! use typed_torch::linalg::Sq;
//!
//! // d det(A) / dA = det(A) A^{-T}.
//! let a = Sq::<2, f64>::from_array([[2.0, 1.0], [0.5, 3.0]]);
//! let g = grad(|a: Sq<2, f64>| a.det(), &a);
//! let expected = a.inv().unwrap().t().mul_scalar(a.det().to_vec()[0]);
//! let worst = (&g - &expected).abs().to_vec().into_iter().fold(0.0, f64::max);
//! assert!(worst < 1e-12);
//!
//! // The Hessian of log det is -(A^{-1} (x) A^{-T}) in shape (2, 2, 2, 2).
//! let h = hessian(|a: Sq<2, f64>| a.lndet().0, &a);
//! assert_eq!(h.size(), vec![2, 2, 2, 2]);
//! ```
//!
//! ## Errors
//!
//! Singular and indefinite inputs are found from libtorch's `*_ex` info codes and returned as
//! [`Error::Linalg`](crate::Error::Linalg), naming the op and the problem; in a batch, which
//! matrix. Decompositions also refuse NaN and infinite entries up front.
//!
//! ```
//! use typed_torch::linalg::{sym, Sq};
//! use typed_torch::Error;
//!
//! let indefinite = sym(&Sq::<2, f64>::from_array([[1.0, 0.0], [0.0, -1.0]]));
//! match indefinite.chol() {
//!     Err(Error::Linalg { op, problem }) => {
//!         assert_eq!(op, "chol");
//!         assert_eq!(problem, "the matrix is not positive-definite: its leading minor of order 2 is not positive");
//!     }
//!     other => panic!("{other:?}"),
//! }
//! // A common remedy: a small jitter on the diagonal.
//! let rescued = indefinite.add_diagonal(2.0).chol();
//! assert!(rescued.is_ok());
//! ```
//!
//! ## A Gaussian process on real data
//!
//! The `gaussian_process` example fits exact Gaussian-process regression to scikit-learn's
//! diabetes data: the kernel matrix is a `Symmetric`, the log marginal likelihood comes from its
//! Cholesky factor, and the kernel's hyper-parameters follow its gradient. The README gives its
//! figures next to scikit-learn's `GaussianProcessRegressor` on the same split.
