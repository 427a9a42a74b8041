//! Determinants, inverses, solves and decompositions, each on libtorch's differentiable
//! `linalg_*` kernel; inputs without an answer are [`Error::Linalg`](crate::Error::Linalg)s.
use super::checks::{call, finite, info, square};
use super::shape::{MatrixShape, SolveRhs, SquareShape};
use super::symmetric::Symmetric;
use crate::device::Device;
use crate::dims::{DimMin, Min};
use crate::element::Float;
use crate::error::{Error, Result};
use crate::explain::or_panic;
use crate::tensor::Tensor;

/// `(log |det|, sign of det)`, one each per matrix: hmatrix's `lndet` with its sign.
pub type LogDet<S, E, Dev> = (
    Tensor<<S as MatrixShape>::Batch, E, Dev>,
    Tensor<<S as MatrixShape>::Batch, E, Dev>,
);

/// The reduced QR factors `(Q, R)` of an `M x N` matrix, `K = min(M, N)`: `Q` is `M x K` with
/// orthonormal columns, `R` is `K x N` upper triangular.
pub type Qr<S, E, Dev> = (
    Tensor<<S as MatrixShape>::WithCols<Inner<S>>, E, Dev>,
    Tensor<<S as MatrixShape>::WithRows<Inner<S>>, E, Dev>,
);

/// The reduced singular value decomposition `(U, s, Vh)` of an `M x N` matrix, `K = min(M, N)`:
/// `m = U diag(s) Vh`, `U` is `M x K`, `s` holds `K` values in descending order, `Vh` is `K x N`.
pub type Svd<S, E, Dev> = (
    Tensor<<S as MatrixShape>::WithCols<Inner<S>>, E, Dev>,
    Tensor<<S as MatrixShape>::Vector<Inner<S>>, E, Dev>,
    Tensor<<S as MatrixShape>::WithRows<Inner<S>>, E, Dev>,
);

/// `min(rows, cols)`: the inner size of reduced factorizations.
pub type Inner<S> = Min<<S as MatrixShape>::Rows, <S as MatrixShape>::Cols>;

/// The eigenvalues (ascending) and the eigenvectors (the columns) of a symmetric matrix.
pub type Eigensystem<S, E, Dev> = (
    Tensor<<S as MatrixShape>::Vector<<S as SquareShape>::Size>, E, Dev>,
    Tensor<S, E, Dev>,
);

/// Why LU-based ops fail: LAPACK's info `i > 0` is an exactly zero pivot.
fn singular(code: i64) -> String {
    format!("the matrix is singular: pivot {code} of its LU factorization is zero")
}

impl<S: MatrixShape, E: Float, Dev: Device> Tensor<S, E, Dev> {
    /// The determinant, one per matrix (hmatrix's `det`). Singular matrices give 0.
    ///
    /// ```
    /// use typed_torch::linalg::Sq;
    /// let m = Sq::<2, f64>::from_array([[2.0, 1.0], [1.0, 3.0]]);
    /// assert_eq!(m.det().to_vec(), vec![5.0]);
    /// ```
    ///
    /// # Panics
    ///
    /// At the caller's line when a `(Dyn, Dyn)` matrix is not square;
    /// [`try_det`](Self::try_det) returns the error.
    #[track_caller]
    pub fn det(&self) -> Tensor<S::Batch, E, Dev>
    where
        S: SquareShape,
    {
        or_panic(self.try_det())
    }

    /// [`det`](Self::det), or an error when a `Dyn` matrix is not square.
    pub fn try_det(&self) -> Result<Tensor<S::Batch, E, Dev>>
    where
        S: SquareShape,
    {
        let a = self.as_tch();
        square("det", a)?;
        call("det", &[a], tch::Tensor::f_linalg_det(a)).map(Tensor::wrap)
    }

    /// `(log |det|, sign)` per matrix, exact where `det` would overflow or underflow: the log
    /// of a covariance matrix's determinant. A singular matrix gives `(-inf, 0)`.
    ///
    /// ```
    /// use typed_torch::linalg::Sq;
    /// let m = Sq::<2, f64>::from_array([[0.0, 1.0], [1.0, 0.0]]);
    /// let (log_abs, sign) = m.lndet();
    /// assert_eq!((log_abs.to_vec(), sign.to_vec()), (vec![0.0], vec![-1.0]));
    /// ```
    ///
    /// # Panics
    ///
    /// At the caller's line when a `(Dyn, Dyn)` matrix is not square;
    /// [`try_lndet`](Self::try_lndet) returns the error.
    #[track_caller]
    pub fn lndet(&self) -> LogDet<S, E, Dev>
    where
        S: SquareShape,
    {
        or_panic(self.try_lndet())
    }

    /// [`lndet`](Self::lndet), or an error when a `Dyn` matrix is not square.
    pub fn try_lndet(&self) -> Result<LogDet<S, E, Dev>>
    where
        S: SquareShape,
    {
        let a = self.as_tch();
        square("lndet", a)?;
        let (sign, log_abs) = call("lndet", &[a], tch::Tensor::f_linalg_slogdet(a))?;
        Ok((Tensor::wrap(log_abs), Tensor::wrap(sign)))
    }

    /// The inverse (hmatrix's `inv`), or [`Error::Linalg`] naming the zero pivot of a singular
    /// matrix.
    ///
    /// ```
    /// use typed_torch::linalg::Sq;
    /// let m = Sq::<2, f64>::from_array([[2.0, 0.0], [0.0, 4.0]]);
    /// assert_eq!(m.inv().unwrap().to_vec(), vec![0.5, 0.0, 0.0, 0.25]);
    /// let singular = Sq::<2, f64>::from_array([[1.0, 2.0], [2.0, 4.0]]);
    /// assert_eq!(
    ///     singular.inv().unwrap_err().to_string(),
    ///     "inv: the matrix is singular: pivot 2 of its LU factorization is zero"
    /// );
    /// ```
    pub fn inv(&self) -> Result<Tensor<S, E, Dev>>
    where
        S: SquareShape,
    {
        const OP: &str = "inv";
        let a = self.as_tch();
        square(OP, a)?;
        finite(OP, a)?;
        let (inverse, codes) = call(OP, &[a], tch::Tensor::f_linalg_inv_ex(a, false))?;
        info(OP, &codes, singular)?;
        Ok(Tensor::wrap(inverse))
    }

    /// The inverse with `(log |det|, sign)` (hmatrix's `invlndet`), from one factorization's
    /// worth of work: a Gaussian's precision and normalizer together.
    pub fn invlndet(&self) -> Result<(Tensor<S, E, Dev>, LogDet<S, E, Dev>)>
    where
        S: SquareShape,
    {
        let inverse = self.inv().map_err(|e| rename(e, "invlndet"))?;
        let log_det = self.try_lndet()?;
        Ok((inverse, log_det))
    }

    /// Solves `self x = b` (hmatrix's `<\>` for square systems) for a vector `b` (one per matrix
    /// of a batch) or a matrix `b` of several right-hand sides; `x` has `b`'s shape. A singular
    /// matrix is an [`Error::Linalg`]; a right-hand side of the wrong size does not compile.
    ///
    /// ```
    /// use typed_torch::linalg::{Sq, L, R};
    /// let a = Sq::<2, f64>::from_array([[3.0, 1.0], [1.0, 2.0]]);
    /// let x = a.solve(&R::<2, f64>::from_array([9.0, 8.0])).unwrap();
    /// assert_eq!(x.to_vec(), vec![2.0, 3.0]);
    /// let xs: L<2, 3, f64> = a.solve(&L::<2, 3, f64>::ones()).unwrap();
    /// ```
    pub fn solve<B: SolveRhs<S>>(&self, b: &Tensor<B, E, Dev>) -> Result<Tensor<B, E, Dev>>
    where
        S: SquareShape,
    {
        const OP: &str = "solve";
        let (a, rhs) = (self.as_tch(), b.as_tch());
        square(OP, a)?;
        rhs_fits(a, rhs)?;
        finite(OP, a)?;
        finite(OP, rhs)?;
        let (x, codes) = call(
            OP,
            &[a, rhs],
            tch::Tensor::f_linalg_solve_ex(a, rhs, true, false),
        )?;
        info(OP, &codes, singular)?;
        Ok(Tensor::wrap(x))
    }

    /// Solves `A x = b` where `self` is `L`, the lower Cholesky factor of a positive-definite
    /// `A` (from [`chol`](Symmetric::chol)): two triangular solves, no factorization (hmatrix's
    /// `cholSolve`). The way to reuse one factorization for a solve and a log-determinant.
    ///
    /// ```
    /// use typed_torch::linalg::{sym, Sq, R};
    /// let a = sym(&Sq::<2, f64>::from_array([[4.0, 2.0], [2.0, 5.0]]));
    /// let l = a.chol().unwrap();
    /// let x = l.chol_solve(&R::<2, f64>::from_array([8.0, 9.0])).unwrap();
    /// assert_eq!(x.to_vec(), vec![1.375, 1.25]);
    /// ```
    pub fn chol_solve<B: SolveRhs<S>>(&self, b: &Tensor<B, E, Dev>) -> Result<Tensor<B, E, Dev>>
    where
        S: SquareShape,
    {
        self.triangular(
            "chol_solve",
            b,
            |l, rhs| l.f_cholesky_solve(rhs, false),
            true,
        )
    }

    /// Solves `self x = b` for a lower-triangular `self` by substitution (the entries above the
    /// diagonal are not read). A zero on the diagonal is an [`Error::Linalg`].
    pub fn solve_lower_triangular<B: SolveRhs<S>>(
        &self,
        b: &Tensor<B, E, Dev>,
    ) -> Result<Tensor<B, E, Dev>>
    where
        S: SquareShape,
    {
        self.triangular(
            "solve_lower_triangular",
            b,
            |l, rhs| l.f_linalg_solve_triangular(rhs, false, true, false),
            false,
        )
    }

    /// Solves `self x = b` for an upper-triangular `self` by substitution (the entries below the
    /// diagonal are not read). A zero on the diagonal is an [`Error::Linalg`].
    pub fn solve_upper_triangular<B: SolveRhs<S>>(
        &self,
        b: &Tensor<B, E, Dev>,
    ) -> Result<Tensor<B, E, Dev>>
    where
        S: SquareShape,
    {
        self.triangular(
            "solve_upper_triangular",
            b,
            |u, rhs| u.f_linalg_solve_triangular(rhs, true, true, false),
            false,
        )
    }

    /// The shared checks of the triangular solves: sizes, a diagonal without zeros, and `b` as
    /// a matrix of right-hand sides (a vector becomes one column and back).
    fn triangular<B: SolveRhs<S>>(
        &self,
        op: &'static str,
        b: &Tensor<B, E, Dev>,
        solve: impl Fn(&tch::Tensor, &tch::Tensor) -> core::result::Result<tch::Tensor, tch::TchError>,
        b_first: bool,
    ) -> Result<Tensor<B, E, Dev>>
    where
        S: SquareShape,
    {
        let (t, rhs) = (self.as_tch(), b.as_tch());
        square(op, t)?;
        rhs_fits(t, rhs).map_err(|e| rename_operands(e, op))?;
        // No finiteness check: substitution cannot misreport a NaN as anything else, and a
        // zero pivot, the one way a triangular system has no answer, is checked here.
        let zero = t.diagonal(0, -2, -1).eq(0);
        if zero.any().int64_value(&[]) != 0 {
            let zero = zero.to_kind(tch::Kind::Int64);
            let first = zero.flatten(0, -1).argmax(0, false).int64_value(&[]);
            let n = t.size()[t.dim() - 1];
            return Err(super::checks::linalg_error(
                op,
                format!(
                    "the triangular matrix is singular: diagonal entry {} is zero",
                    first % n
                ),
            ));
        }
        let vector = rhs.dim() + 1 == t.dim();
        let columns = if vector {
            rhs.unsqueeze(-1)
        } else {
            rhs.shallow_clone()
        };
        let x = if b_first {
            solve(&columns, t)
        } else {
            solve(t, &columns)
        };
        let x = call(op, &[t, rhs], x)?;
        Ok(Tensor::wrap(if vector { x.squeeze_dim(-1) } else { x }))
    }

    /// The matrix exponential `e^m` (hmatrix's `expm`).
    ///
    /// ```
    /// use typed_torch::linalg::Sq;
    /// let zero = Sq::<2, f64>::zeros();
    /// assert_eq!(zero.matrix_exp().to_vec(), vec![1.0, 0.0, 0.0, 1.0]);
    /// ```
    ///
    /// # Panics
    ///
    /// At the caller's line when a `(Dyn, Dyn)` matrix is not square.
    #[track_caller]
    pub fn matrix_exp(&self) -> Tensor<S, E, Dev>
    where
        S: SquareShape,
    {
        let a = self.as_tch();
        or_panic(square("matrix_exp", a));
        Tensor::wrap(or_panic(call("matrix_exp", &[a], a.f_linalg_matrix_exp())))
    }

    /// `m^n` by repeated squaring; `m^0` is the identity. For negative powers, raise the
    /// inverse: `m.inv()?.matrix_power(k)`.
    ///
    /// # Panics
    ///
    /// At the caller's line when a `(Dyn, Dyn)` matrix is not square.
    #[track_caller]
    pub fn matrix_power(&self, n: u32) -> Tensor<S, E, Dev>
    where
        S: SquareShape,
    {
        let a = self.as_tch();
        or_panic(square("matrix_power", a));
        let power = a.f_linalg_matrix_power(i64::from(n));
        Tensor::wrap(or_panic(call("matrix_power", &[a], power)))
    }
}

/// Checks `b`'s run-time sizes against `a`'s (the types agree; `Dyn` sizes may not).
fn rhs_fits(a: &tch::Tensor, b: &tch::Tensor) -> Result<()> {
    let (sa, sb) = (a.size(), b.size());
    let n = sa[sa.len() - 1];
    let batch = &sa[..sa.len() - 2];
    let vector = sb.len() + 1 == sa.len();
    let (rows, b_batch) = if vector {
        (sb[sb.len() - 1], &sb[..sb.len() - 1])
    } else {
        (sb[sb.len() - 2], &sb[..sb.len() - 2])
    };
    if rows == n && b_batch == batch {
        return Ok(());
    }
    Err(Error::Operands {
        op: "solve",
        sizes: vec![sa.clone(), sb.clone()],
        expected: format!(
            "a right-hand side with {n} rows and batch {batch:?} (as the {n} x {n} matrix)"
        ),
        found: format!("{rows} rows and batch {b_batch:?}"),
    })
}

/// A size error of `solve`'s check, named after the op the user called.
fn rename_operands(err: Error, op: &'static str) -> Error {
    match err {
        Error::Operands {
            sizes,
            expected,
            found,
            ..
        } => Error::Operands {
            op,
            sizes,
            expected,
            found,
        },
        other => other,
    }
}

/// The same error, named after the op the user called.
fn rename(err: Error, op: &'static str) -> Error {
    match err {
        Error::Linalg { problem, .. } => Error::Linalg { op, problem },
        other => other,
    }
}

impl<S: MatrixShape, E: Float, Dev: Device> Tensor<S, E, Dev> {
    /// The reduced QR decomposition `(Q, R)`: `Q` (`M x K`) has orthonormal columns, `R`
    /// (`K x N`) is upper triangular, `K = min(M, N)` computed at compile time. Differentiable
    /// where PyTorch's is (full-rank inputs; `M >= N` or square leading block).
    ///
    /// ```
    /// use typed_torch::linalg::L;
    /// let m = L::<3, 2, f64>::from_array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]);
    /// let (q, r) = m.qr().unwrap(); // Q: L<3, 2>, R: L<2, 2>
    /// assert_eq!(q.matmul(&r).to_vec(), m.to_vec());
    /// ```
    pub fn qr(&self) -> Result<Qr<S, E, Dev>>
    where
        S::Rows: DimMin<S::Cols>,
    {
        let a = self.as_tch();
        finite("qr", a)?;
        let (q, r) = call("qr", &[a], tch::Tensor::f_linalg_qr(a, "reduced"))?;
        Ok((Tensor::wrap(q), Tensor::wrap(r)))
    }

    /// The reduced singular value decomposition `(U, s, Vh)` with `m = U diag(s) Vh` (hmatrix's
    /// `svd` in its thin form): singular values descending, `K = min(M, N)` of them. Gradients
    /// are defined where the singular values are distinct.
    ///
    /// ```
    /// use typed_torch::linalg::L;
    /// let m = L::<2, 3, f64>::from_array([[3.0, 0.0, 0.0], [0.0, -2.0, 0.0]]);
    /// let (_u, s, _vh) = m.svd().unwrap();
    /// assert_eq!(s.to_vec(), vec![3.0, 2.0]);
    /// ```
    pub fn svd(&self) -> Result<Svd<S, E, Dev>>
    where
        S::Rows: DimMin<S::Cols>,
    {
        let a = self.as_tch();
        finite("svd", a)?;
        let (u, s, v) = call("svd", &[a], a.f_svd(true, true))?;
        Ok((
            Tensor::wrap(u),
            Tensor::wrap(s),
            Tensor::wrap(v.transpose(-2, -1)),
        ))
    }

    /// The singular values alone, descending (hmatrix's `singularValues`); differentiable
    /// where they are distinct.
    pub fn svd_values(&self) -> Result<Tensor<S::Vector<Inner<S>>, E, Dev>>
    where
        S::Rows: DimMin<S::Cols>,
    {
        self.svd()
            .map(|(_, s, _)| s)
            .map_err(|e| rename(e, "svd_values"))
    }

    /// The Moore-Penrose pseudo-inverse (hmatrix's `pinv`): `L<M, N>` gives `L<N, M>`. Singular
    /// values below `max(M, N) * eps` times the largest count as zero, as in NumPy and PyTorch.
    ///
    /// ```
    /// use typed_torch::linalg::L;
    /// let m = L::<2, 1, f64>::from_array([[1.0], [1.0]]);
    /// let p = m.pinv().unwrap().to_vec();
    /// assert!(p.iter().all(|x| (x - 0.5).abs() < 1e-15));
    /// ```
    pub fn pinv(&self) -> Result<Tensor<S::Transposed, E, Dev>> {
        let a = self.as_tch();
        finite("pinv", a)?;
        let size = a.size();
        let widest = size[size.len() - 2].max(size[size.len() - 1]).max(1) as f64;
        let eps = match a.kind() {
            tch::Kind::Double => f64::EPSILON,
            tch::Kind::Half => 9.765625e-4,
            tch::Kind::BFloat16 => 7.8125e-3,
            _ => f64::from(f32::EPSILON),
        };
        call("pinv", &[a], a.f_linalg_pinv(widest * eps, false)).map(Tensor::wrap)
    }
}

impl<S: SquareShape, E: Float, Dev: Device> Symmetric<S, E, Dev> {
    /// The Cholesky factor: the lower-triangular `L` with `L L^T = self` (hmatrix's `chol`), or
    /// [`Error::Linalg`] naming the first leading minor that is not positive when the matrix is
    /// not positive-definite. Only symmetric matrices are accepted: make one with
    /// [`sym`](super::sym) or [`Symmetric::try_new`].
    ///
    /// ```
    /// use typed_torch::linalg::{sym, Sq};
    /// let a = sym(&Sq::<2, f64>::from_array([[4.0, 2.0], [2.0, 5.0]]));
    /// assert_eq!(a.chol().unwrap().to_vec(), vec![2.0, 0.0, 1.0, 2.0]);
    /// ```
    pub fn chol(&self) -> Result<Tensor<S, E, Dev>> {
        const OP: &str = "chol";
        let a = self.as_tch();
        finite(OP, a)?;
        let (factor, codes) = call(OP, &[a], a.f_linalg_cholesky_ex(false, false))?;
        info(OP, &codes, |order| {
            format!(
                "the matrix is not positive-definite: its leading minor of order {order} is not positive"
            )
        })?;
        Ok(Tensor::wrap(factor))
    }

    /// The eigenvalues in ascending order and the eigenvectors as the columns of a matrix
    /// (hmatrix's `eigensystem`; hmatrix lists values descending). Gradients are defined where
    /// the eigenvalues are distinct.
    ///
    /// ```
    /// use typed_torch::linalg::{sym, Sq};
    /// let a = sym(&Sq::<2, f64>::from_array([[2.0, 0.0], [0.0, 1.0]]));
    /// let (values, vectors) = a.eigensystem().unwrap();
    /// assert_eq!(values.to_vec(), vec![1.0, 2.0]);
    /// assert_eq!(vectors.abs().to_vec(), vec![0.0, 1.0, 1.0, 0.0]);
    /// ```
    pub fn eigensystem(&self) -> Result<Eigensystem<S, E, Dev>> {
        let a = self.as_tch();
        finite("eigensystem", a)?;
        let (values, vectors) = call("eigensystem", &[a], a.f_linalg_eigh("L"))?;
        Ok((Tensor::wrap(values), Tensor::wrap(vectors)))
    }

    /// The eigenvalues alone, ascending (hmatrix's `eigenvalues`).
    pub fn eigenvalues(&self) -> Result<Tensor<S::Vector<S::Size>, E, Dev>> {
        let a = self.as_tch();
        finite("eigenvalues", a)?;
        call("eigenvalues", &[a], a.f_linalg_eigvalsh("L")).map(Tensor::wrap)
    }
}
