//! Symmetric matrices as their own type, so that `chol` and `eigensystem` take only them.
use super::checks::{linalg_error, square};
use super::shape::{MatrixShape, SquareShape};
use crate::device::{Cpu, Device};
use crate::dims::D;
use crate::element::{Element, Float};
use crate::error::Result;
use crate::explain::{check, or_panic, Needs};
use crate::functional::{trace_tensor, Differentiable, Grads, Inputs};
use crate::tensor::Tensor;

/// A symmetric matrix (or a batch of them) of shape `S`: a [`Tensor`] that is equal to its
/// transpose. Made by [`sym`] (which symmetrizes), [`Symmetric::try_new`] (which checks),
/// [`mtm`](Tensor::mtm) and [`mean_cov`](Tensor::mean_cov) (symmetric by construction); taken by
/// [`chol`](Self::chol), [`eigensystem`](Self::eigensystem) and
/// [`eigenvalues`](Self::eigenvalues). It derefs to its tensor for everything else.
///
/// Gradients flow through it as through its tensor. The one-matrix form is [`Sym<N>`].
///
/// ```
/// use typed_torch::linalg::{sym, Sym, L};
/// let m = L::<2, 2, f64>::from_array([[2.0, 1.0], [3.0, 2.0]]);
/// let s: Sym<2, f64> = sym(&m); // (m + m^T) / 2
/// assert_eq!(s.to_vec(), vec![2.0, 2.0, 2.0, 2.0]);
/// ```
pub struct Symmetric<S: MatrixShape, E: Element = f32, Dev: Device = Cpu> {
    matrix: Tensor<S, E, Dev>,
}

/// One symmetric `N x N` matrix, hmatrix's `Sym n`.
pub type Sym<const N: usize, E = f32, Dev = Cpu> = Symmetric<(D<N>, D<N>), E, Dev>;

/// The symmetric part `(m + m^T) / 2` of a square matrix (or batch), hmatrix's `sym`. Its
/// gradient is the symmetric part of the incoming gradient.
///
/// # Panics
///
/// At the caller's line if a `(Dyn, Dyn)` matrix is not square; [`Symmetric::try_sym`] returns
/// the error.
#[track_caller]
pub fn sym<S, E: Float, Dev: Device>(m: &Tensor<S, E, Dev>) -> Symmetric<S, E, Dev>
where
    S: SquareShape,
{
    or_panic(Symmetric::try_sym(m))
}

impl<S: SquareShape, E: Float, Dev: Device> Symmetric<S, E, Dev> {
    /// [`sym`], or an error when a `Dyn`-sized matrix is not square.
    pub fn try_sym(m: &Tensor<S, E, Dev>) -> Result<Self> {
        let a = m.as_tch();
        square("sym", a)?;
        Ok(Symmetric::trusted(Tensor::wrap(
            (a + a.transpose(-2, -1)) * 0.5,
        )))
    }

    /// Accepts a matrix that is symmetric within `tolerance` (largest `|m - m^T|`, relative to the
    /// largest `|m|` when that exceeds 1), as its symmetric part so that rounding leaves no trace.
    ///
    /// ```
    /// use typed_torch::linalg::{Sq, Symmetric};
    /// let ok = Sq::<2, f64>::from_array([[1.0, 0.5], [0.5, 1.0]]);
    /// assert!(Symmetric::try_new(ok, 1e-12).is_ok());
    /// let skew = Sq::<2, f64>::from_array([[1.0, 0.5], [0.4, 1.0]]);
    /// assert_eq!(
    ///     Symmetric::try_new(skew, 1e-12).unwrap_err().to_string(),
    ///     "Symmetric::try_new: the matrix is not symmetric: entries [0, 1] and [1, 0] differ by 0.1 (tolerance 1e-12)"
    /// );
    /// ```
    pub fn try_new(m: Tensor<S, E, Dev>, tolerance: f64) -> Result<Self> {
        const OP: &str = "Symmetric::try_new";
        let a = m.as_tch();
        square(OP, a)?;
        let gap = (a - a.transpose(-2, -1)).abs().detach();
        let scale = a.abs().max().double_value(&[]).max(1.0);
        let worst = gap.max().double_value(&[]);
        if worst.is_nan() || worst > tolerance * scale {
            let n = a.size()[a.dim() - 1];
            let flat = gap.flatten(0, -1).nan_to_num(f64::INFINITY, None, None);
            let at = flat.argmax(0, false).int64_value(&[]) % (n * n);
            let (i, j) = (at / n, at % n);
            return Err(linalg_error(
                OP,
                format!(
                    "the matrix is not symmetric: entries [{i}, {j}] and [{j}, {i}] differ by {} (tolerance {tolerance:e})",
                    round_for_display(worst)
                ),
            ));
        }
        Self::try_sym(&m)
    }

    /// Takes a matrix the caller knows to be symmetric, unchecked and unchanged: a kernel or
    /// Gram matrix built by a symmetric formula, where [`sym`]'s averaging would be a wasted pass
    /// over `N x N` entries (as the distributions' `_unvalidated` constructors skip their checks).
    /// `chol` and `eigensystem` read only the lower triangle, so rounding above it is harmless;
    /// gradients flow into the whole matrix as given.
    ///
    /// # Panics
    ///
    /// At the caller's line when a `(Dyn, Dyn)` matrix is not square.
    #[track_caller]
    pub fn new_unvalidated(m: Tensor<S, E, Dev>) -> Self {
        or_panic(square("Symmetric::new_unvalidated", m.as_tch()));
        Symmetric::trusted(m)
    }

    /// Wraps a matrix known to be symmetric (built so by the crate).
    pub(crate) fn trusted(matrix: Tensor<S, E, Dev>) -> Self {
        Symmetric { matrix }
    }

    /// The matrix as a plain tensor.
    pub fn as_tensor(&self) -> &Tensor<S, E, Dev> {
        &self.matrix
    }

    /// The matrix as a plain tensor, by value.
    pub fn into_tensor(self) -> Tensor<S, E, Dev> {
        self.matrix
    }

    /// `self + value * I`: a symmetric matrix stays symmetric when its diagonal moves (a
    /// Gaussian process's noise, a jitter that makes a kernel matrix positive-definite).
    pub fn add_diagonal(&self, value: f64) -> Self {
        let a = self.matrix.as_tch();
        let n = a.size()[a.dim() - 1];
        let eye = tch::Tensor::eye(n, (a.kind(), a.device()));
        Symmetric::trusted(Tensor::wrap(a + eye * value))
    }

    /// `self + diagonal(d)` for a tensor `d` (one value per row, per matrix), e.g. a learned
    /// noise variance that needs a gradient.
    pub fn add_to_diagonal(
        &self,
        diagonal: &Tensor<<S as MatrixShape>::Vector<S::Size>, E, Dev>,
    ) -> Self {
        let a = self.matrix.as_tch();
        Symmetric::trusted(Tensor::wrap(a + diagonal.as_tch().diag_embed(0, -2, -1)))
    }

    /// `factor * self`.
    pub fn scale(&self, factor: f64) -> Self {
        Symmetric::trusted(self.matrix.mul_scalar(factor))
    }

    /// `self + other`: sums of symmetric matrices are symmetric.
    #[track_caller]
    pub fn plus(&self, other: &Self) -> Self {
        let (a, b) = (self.matrix.as_tch(), other.matrix.as_tch());
        let sum = check("Symmetric::plus", &[a, b], Needs::BINARY, a.f_add(b));
        Symmetric::trusted(Tensor::wrap(or_panic(sum)))
    }
}

/// `0.1` rather than `0.09999999999999998`: the gap is reported, not computed with.
fn round_for_display(x: f64) -> f64 {
    format!("{x:.6e}").parse().unwrap_or(x)
}

impl<S: SquareShape, E: Element, Dev: Device> core::ops::Deref for Symmetric<S, E, Dev> {
    type Target = Tensor<S, E, Dev>;
    fn deref(&self) -> &Tensor<S, E, Dev> {
        &self.matrix
    }
}

impl<S: SquareShape, E: Element, Dev: Device> Clone for Symmetric<S, E, Dev> {
    /// Shares storage, as [`Tensor`]'s `clone`.
    fn clone(&self) -> Self {
        Symmetric {
            matrix: self.matrix.clone(),
        }
    }
}

impl<S: SquareShape, E: Element, Dev: Device> core::fmt::Debug for Symmetric<S, E, Dev> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Symmetric({:?})", self.matrix)
    }
}

impl<S: SquareShape, E: Element, Dev: Device> From<Symmetric<S, E, Dev>> for Tensor<S, E, Dev> {
    fn from(s: Symmetric<S, E, Dev>) -> Self {
        s.matrix
    }
}

/// A symmetric matrix is an input of [`functional::grad`](crate::functional::grad) and its
/// family, as hmatrix-backprop's `Sym`: its gradient is symmetric too, the symmetric part of the
/// gradient with respect to the full matrix, so a step along it stays symmetric.
///
/// ```
/// use typed_torch::functional::grad;
/// use typed_torch::linalg::{sym, Sq, Sym};
/// let s = sym(&Sq::<2, f64>::from_array([[2.0, 1.0], [1.0, 3.0]]));
/// // d/dS of the (0, 1) entry alone: half to each of the two symmetric places.
/// let g: Sym<2, f64> = grad(|s: Sym<2, f64>| s.as_tensor().narrow::<0, 0, 1>().narrow::<1, 1, 1>().sum_all(), &s);
/// assert_eq!(g.to_vec(), vec![0.0, 0.5, 0.5, 0.0]);
/// ```
impl<S: SquareShape, E: Float, Dev: Device> Differentiable for Symmetric<S, E, Dev> {
    type Traced = Self;
    fn trace(&self, inputs: &mut Inputs) -> Self {
        Symmetric::trusted(Tensor::wrap(trace_tensor(self.matrix.as_tch(), inputs)))
    }
    fn untraced(&self) -> Self {
        self.clone()
    }
    fn gradient_from(&self, grads: &mut Grads) -> Self {
        let g = grads.next_like(self.matrix.as_tch());
        Symmetric::trusted(Tensor::wrap((&g + g.transpose(-2, -1)) * 0.5))
    }
}
