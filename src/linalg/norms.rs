//! Vector and matrix norms, and the mean and covariance of a sample.
use super::checks::call;
use super::shape::MatrixShape;
use super::symmetric::Symmetric;
use crate::device::Device;
use crate::element::Float;
use crate::error::{Error, Result};
use crate::explain::or_panic;
use crate::shape::SplitLast;
use crate::tensor::Tensor;

impl<S: SplitLast, E: Float, Dev: Device> Tensor<S, E, Dev> {
    /// The number of non-zero entries along the last axis (hmatrix's `norm_0`), as a float;
    /// its gradient is zero.
    pub fn vector_norm_0(&self) -> Tensor<S::Init, E, Dev> {
        let a = self.as_tch();
        Tensor::wrap(a.ne(0).to_kind(a.kind()).sum_dim_intlist(-1, false, None))
    }

    /// The sum of absolute values along the last axis (hmatrix's `norm_1` of a vector).
    pub fn vector_norm_1(&self) -> Tensor<S::Init, E, Dev> {
        self.vector_norm(1.0, "vector_norm_1")
    }

    /// The Euclidean length along the last axis (hmatrix's `norm_2` of a vector); its gradient
    /// at the zero vector is zero, as PyTorch's.
    ///
    /// ```
    /// use typed_torch::linalg::R;
    /// assert_eq!(R::<2, f64>::from_array([3.0, 4.0]).vector_norm_2().to_vec(), vec![5.0]);
    /// ```
    pub fn vector_norm_2(&self) -> Tensor<S::Init, E, Dev> {
        self.vector_norm(2.0, "vector_norm_2")
    }

    /// The largest absolute value along the last axis (hmatrix's `norm_Inf` of a vector).
    pub fn vector_norm_inf(&self) -> Tensor<S::Init, E, Dev> {
        self.vector_norm(f64::INFINITY, "vector_norm_inf")
    }

    #[track_caller]
    fn vector_norm(&self, ord: f64, op: &'static str) -> Tensor<S::Init, E, Dev> {
        let a = self.as_tch();
        let norm = a.f_linalg_norm(ord, [-1i64].as_slice(), false, None::<tch::Kind>);
        Tensor::wrap(or_panic(call(op, &[a], norm)))
    }
}

impl<S: MatrixShape, E: Float, Dev: Device> Tensor<S, E, Dev> {
    /// The largest column sum of absolute values, per matrix (hmatrix's `norm_1` of a matrix).
    pub fn matrix_norm_1(&self) -> Tensor<S::Batch, E, Dev> {
        self.matrix_norm(1.0, "matrix_norm_1")
    }

    /// The spectral norm, the largest singular value, per matrix (hmatrix's `norm_2` of a
    /// matrix).
    pub fn matrix_norm_2(&self) -> Tensor<S::Batch, E, Dev> {
        self.matrix_norm(2.0, "matrix_norm_2")
    }

    /// The largest row sum of absolute values, per matrix (hmatrix's `norm_Inf` of a matrix).
    pub fn matrix_norm_inf(&self) -> Tensor<S::Batch, E, Dev> {
        self.matrix_norm(f64::INFINITY, "matrix_norm_inf")
    }

    /// The Frobenius norm, the root of the sum of squares, per matrix (hmatrix's `norm_Frob`).
    ///
    /// ```
    /// use typed_torch::linalg::L;
    /// let m = L::<2, 2, f64>::from_array([[1.0, 1.0], [1.0, 1.0]]);
    /// assert_eq!(m.matrix_norm_frob().to_vec(), vec![2.0]);
    /// ```
    #[track_caller]
    pub fn matrix_norm_frob(&self) -> Tensor<S::Batch, E, Dev> {
        let a = self.as_tch();
        let norm = a.f_linalg_norm_ord_str("fro", [-2i64, -1].as_slice(), false, None::<tch::Kind>);
        Tensor::wrap(or_panic(call("matrix_norm_frob", &[a], norm)))
    }

    #[track_caller]
    fn matrix_norm(&self, ord: f64, op: &'static str) -> Tensor<S::Batch, E, Dev> {
        let a = self.as_tch();
        let norm = a.f_linalg_norm(ord, [-2i64, -1].as_slice(), false, None::<tch::Kind>);
        Tensor::wrap(or_panic(call(op, &[a], norm)))
    }

    /// The mean and covariance of a sample whose rows are observations (hmatrix's `meanCov`):
    /// `L<M, N>` gives `(R<N>, Sym<N>)`, the covariance with the unbiased `1 / (M - 1)` as
    /// NumPy's `cov(x, rowvar=False)`.
    ///
    /// ```
    /// use typed_torch::linalg::L;
    /// let x = L::<3, 2, f64>::from_array([[0.0, 0.0], [1.0, 2.0], [2.0, 4.0]]);
    /// let (mean, cov) = x.mean_cov();
    /// assert_eq!(mean.to_vec(), vec![1.0, 2.0]);
    /// assert_eq!(cov.to_vec(), vec![1.0, 2.0, 2.0, 4.0]);
    /// ```
    ///
    /// # Panics
    ///
    /// At the caller's line when there are fewer than 2 rows (no covariance exists);
    /// [`try_mean_cov`](Self::try_mean_cov) returns the error.
    #[track_caller]
    pub fn mean_cov(
        &self,
    ) -> (
        Tensor<S::Vector<S::Cols>, E, Dev>,
        Symmetric<S::Gram, E, Dev>,
    ) {
        or_panic(self.try_mean_cov())
    }

    /// [`mean_cov`](Self::mean_cov), or an error for fewer than 2 rows.
    pub fn try_mean_cov(
        &self,
    ) -> Result<(
        Tensor<S::Vector<S::Cols>, E, Dev>,
        Symmetric<S::Gram, E, Dev>,
    )> {
        let a = self.as_tch();
        let rows = a.size()[a.dim() - 2];
        if rows < 2 {
            return Err(Error::Operands {
                op: "mean_cov",
                sizes: vec![a.size()],
                expected: "at least 2 rows (observations) for a covariance".into(),
                found: format!("{rows}"),
            });
        }
        let mean = a.mean_dim(-2, true, None);
        let centered = a - &mean;
        let cov = centered.transpose(-2, -1).matmul(&centered) / (rows - 1) as f64;
        Ok((
            Tensor::wrap(mean.squeeze_dim(-2)),
            Symmetric::trusted(Tensor::wrap(cov)),
        ))
    }
}
