//! Products and the diagonal: `dot`, `outer`, `cross`, matrix-vector, `m^T m`, trace, diagonal.
use super::checks::square;
use super::shape::{CrossDim, MatrixShape, SquareShape};
use super::symmetric::Symmetric;
use crate::device::Device;
use crate::element::Float;
use crate::error::Result;
use crate::explain::{check, or_panic, refuse, Needs};
use crate::shape::{AppendAxis, SplitLast};
use crate::tensor::Tensor;

/// Refuses operands whose run-time sizes differ (their types already agree).
fn same_sizes(op: &'static str, a: &tch::Tensor, b: &tch::Tensor) -> Result<()> {
    if a.size() == b.size() {
        Ok(())
    } else {
        Err(refuse(op, &[a, b], Needs::Equal("vectors of equal sizes")))
    }
}

impl<S: SplitLast, E: Float, Dev: Device> Tensor<S, E, Dev> {
    /// The dot product along the last axis: `R<N>` with `R<N>` gives a scalar, a batch of
    /// vectors gives one number per pair (hmatrix's `<.>`).
    ///
    /// ```
    /// use typed_torch::linalg::R;
    /// let u = R::<3, f64>::from_array([1.0, 2.0, 3.0]);
    /// let v = R::<3, f64>::from_array([4.0, 5.0, 6.0]);
    /// assert_eq!(u.dot(&v).to_vec(), vec![32.0]);
    /// ```
    ///
    /// # Panics
    ///
    /// At the caller's line when `Dyn` lengths differ; [`try_dot`](Self::try_dot) returns the
    /// error.
    #[track_caller]
    pub fn dot(&self, other: &Self) -> Tensor<S::Init, E, Dev> {
        or_panic(self.try_dot(other))
    }

    /// [`dot`](Self::dot), or an error when `Dyn` lengths differ.
    pub fn try_dot(&self, other: &Self) -> Result<Tensor<S::Init, E, Dev>> {
        let (a, b) = (self.as_tch(), other.as_tch());
        same_sizes("dot", a, b)?;
        Ok(Tensor::wrap((a * b).sum_dim_intlist(-1, false, None)))
    }

    /// The outer product `u v^T` of two vectors (per pair, for batches of vectors): `R<M>` and
    /// `R<N>` give `L<M, N>` (hmatrix's `outer`).
    ///
    /// ```
    /// use typed_torch::linalg::{L, R};
    /// let u = R::<2, f64>::from_array([1.0, 2.0]);
    /// let v = R::<3, f64>::from_array([1.0, 10.0, 100.0]);
    /// let m: L<2, 3, f64> = u.outer(&v);
    /// assert_eq!(m.to_vec(), vec![1.0, 10.0, 100.0, 2.0, 20.0, 200.0]);
    /// ```
    ///
    /// # Panics
    ///
    /// At the caller's line when `Dyn` batch dims differ.
    #[track_caller]
    pub fn outer<T>(
        &self,
        other: &Tensor<T, E, Dev>,
    ) -> Tensor<<S as AppendAxis<T::Last>>::Output, E, Dev>
    where
        T: SplitLast<Init = S::Init>,
        S: AppendAxis<T::Last>,
    {
        let (a, b) = (self.as_tch(), other.as_tch());
        let outer = a.unsqueeze(-1).f_mul(&b.unsqueeze(-2));
        Tensor::wrap(or_panic(check("outer", &[a, b], Needs::BINARY, outer)))
    }

    /// The cross product of 3-vectors (per pair, for batches): a vector orthogonal to both.
    /// Vectors of any other static length do not compile.
    ///
    /// ```
    /// use typed_torch::linalg::R;
    /// let x = R::<3, f64>::from_array([1.0, 0.0, 0.0]);
    /// let y = R::<3, f64>::from_array([0.0, 1.0, 0.0]);
    /// assert_eq!(x.cross(&y).to_vec(), vec![0.0, 0.0, 1.0]);
    /// ```
    ///
    /// # Panics
    ///
    /// At the caller's line when `Dyn` vectors are not 3 long or differ in size;
    /// [`try_cross`](Self::try_cross) returns the error.
    #[track_caller]
    pub fn cross(&self, other: &Self) -> Self
    where
        S::Last: CrossDim,
    {
        or_panic(self.try_cross(other))
    }

    /// [`cross`](Self::cross), or an error when `Dyn` sizes do not fit.
    pub fn try_cross(&self, other: &Self) -> Result<Self>
    where
        S::Last: CrossDim,
    {
        let (a, b) = (self.as_tch(), other.as_tch());
        same_sizes("cross", a, b)?;
        let last = a.size()[a.dim() - 1];
        if last != 3 {
            return Err(crate::Error::Operands {
                op: "cross",
                sizes: vec![a.size(), b.size()],
                expected: "3-vectors (a last dim of 3)".into(),
                found: format!("vectors of {last}"),
            });
        }
        check("cross", &[a, b], Needs::Libtorch, a.f_linalg_cross(b, -1)).map(Tensor::wrap)
    }

    /// The diagonal matrix with this vector on its diagonal (one per vector of a batch):
    /// `R<N>` gives `Sq<N>` (hmatrix's `diag`).
    ///
    /// ```
    /// use typed_torch::linalg::{R, Sq};
    /// let d: Sq<2, f64> = R::<2, f64>::from_array([1.0, 2.0]).diag();
    /// assert_eq!(d.to_vec(), vec![1.0, 0.0, 0.0, 2.0]);
    /// ```
    pub fn diag(&self) -> Tensor<<S as AppendAxis<S::Last>>::Output, E, Dev>
    where
        S: AppendAxis<S::Last>,
    {
        Tensor::wrap(self.as_tch().diag_embed(0, -2, -1))
    }
}

impl<S: MatrixShape, E: Float, Dev: Device> Tensor<S, E, Dev> {
    /// The matrix-vector product `m v` (hmatrix's `#>`): `L<M, N>` and `R<N>` give `R<M>`; a batch
    /// of matrices takes one vector per matrix.
    ///
    /// ```
    /// use typed_torch::linalg::{L, R};
    /// let m = L::<2, 3, f64>::from_array([[1.0, 0.0, 1.0], [0.0, 2.0, 0.0]]);
    /// let v = R::<3, f64>::from_array([1.0, 2.0, 3.0]);
    /// assert_eq!(m.mv(&v).to_vec(), vec![4.0, 4.0]);
    /// ```
    ///
    /// # Panics
    ///
    /// At the caller's line when `Dyn` sizes do not fit; [`try_mv`](Self::try_mv) returns the
    /// error.
    #[track_caller]
    pub fn mv(&self, v: &Tensor<S::Vector<S::Cols>, E, Dev>) -> Tensor<S::Vector<S::Rows>, E, Dev> {
        or_panic(self.try_mv(v))
    }

    /// [`mv`](Self::mv), or an error when `Dyn` sizes do not fit.
    pub fn try_mv(
        &self,
        v: &Tensor<S::Vector<S::Cols>, E, Dev>,
    ) -> Result<Tensor<S::Vector<S::Rows>, E, Dev>> {
        let (a, x) = (self.as_tch(), v.as_tch());
        let column = x.unsqueeze(-1);
        let batch_fits = a.size()[..a.dim() - 2] == x.size()[..x.dim() - 1];
        if !batch_fits {
            return Err(refuse("mv", &[a, x], Needs::MatMul));
        }
        check("mv", &[a, x], Needs::MatMul, a.f_matmul(&column))
            .map(|y| Tensor::wrap(y.squeeze_dim(-1)))
    }

    /// `m^T m`, symmetric by construction (hmatrix's `mTm`): `L<M, N>` gives `Sym<N>`.
    ///
    /// ```
    /// use typed_torch::linalg::{Sym, L};
    /// let m = L::<3, 2, f64>::from_array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]);
    /// let g: Sym<2, f64> = m.mtm();
    /// assert_eq!(g.to_vec(), vec![2.0, 1.0, 1.0, 2.0]);
    /// ```
    pub fn mtm(&self) -> Symmetric<S::Gram, E, Dev> {
        let a = self.as_tch();
        Symmetric::trusted(Tensor::wrap(a.transpose(-2, -1).matmul(a)))
    }

    /// The transpose of each matrix (the last two dims swapped).
    pub fn mt(&self) -> Tensor<S::Transposed, E, Dev> {
        Tensor::wrap(self.as_tch().transpose(-2, -1))
    }
}

impl<S: MatrixShape, E: Float, Dev: Device> Tensor<S, E, Dev> {
    /// The sum of the diagonal, one number per matrix.
    ///
    /// ```
    /// use typed_torch::linalg::Sq;
    /// let m = Sq::<2, f64>::from_array([[1.0, 2.0], [3.0, 4.0]]);
    /// assert_eq!(m.trace().to_vec(), vec![5.0]);
    /// ```
    ///
    /// # Panics
    ///
    /// At the caller's line when a `(Dyn, Dyn)` matrix is not square;
    /// [`try_trace`](Self::try_trace) returns the error.
    #[track_caller]
    pub fn trace(&self) -> Tensor<S::Batch, E, Dev>
    where
        S: SquareShape,
    {
        or_panic(self.try_trace())
    }

    /// [`trace`](Self::trace), or an error when a `Dyn` matrix is not square.
    pub fn try_trace(&self) -> Result<Tensor<S::Batch, E, Dev>>
    where
        S: SquareShape,
    {
        let a = self.as_tch();
        square("trace", a)?;
        Ok(Tensor::wrap(
            a.diagonal(0, -2, -1).sum_dim_intlist(-1, false, None),
        ))
    }

    /// The diagonal as a vector (hmatrix's `takeDiag`): `Sq<N>` gives `R<N>`.
    ///
    /// # Panics
    ///
    /// At the caller's line when a `(Dyn, Dyn)` matrix is not square;
    /// [`try_diagonal`](Self::try_diagonal) returns the error.
    #[track_caller]
    pub fn diagonal(&self) -> Tensor<S::Vector<S::Size>, E, Dev>
    where
        S: SquareShape,
    {
        or_panic(self.try_diagonal())
    }

    /// [`diagonal`](Self::diagonal), or an error when a `Dyn` matrix is not square.
    pub fn try_diagonal(&self) -> Result<Tensor<S::Vector<S::Size>, E, Dev>>
    where
        S: SquareShape,
    {
        let a = self.as_tch();
        square("diagonal", a)?;
        Ok(Tensor::wrap(a.diagonal(0, -2, -1)))
    }
}
