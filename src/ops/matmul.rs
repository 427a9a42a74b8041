//! Matrix products: vector-vector, matrix-vector, matrix-matrix and batched (batch dims broadcast).
use crate::device::Device;
use crate::dims::{BroadcastDim, Dim};
use crate::element::Numeric;
use crate::error::Result;
use crate::explain::{check, or_panic, Needs};
use crate::shape::Shape;
use crate::tensor::Tensor;

/// The result shape of `Self.matmul(Rhs)`; the contracted dims must be the same dim.
#[diagnostic::on_unimplemented(
    message = "cannot matrix-multiply `{Self}` by `{Rhs}`",
    label = "the last dim of the left operand must equal the contracted dim of the right operand",
    note = "supported: (K,)x(K,), (M,K)x(K,), (K,)x(K,N), (M,K)x(K,N), and batched (..,M,K)x(..,K,N) with broadcast batch dims"
)]
pub trait MatMulShape<Rhs>: Shape {
    /// The product's shape.
    type Output: Shape;
}

impl<K: Dim> MatMulShape<(K,)> for (K,) {
    type Output = ();
}
impl<M: Dim, K: Dim> MatMulShape<(K,)> for (M, K) {
    type Output = (M,);
}
impl<K: Dim, N: Dim> MatMulShape<(K, N)> for (K,) {
    type Output = (N,);
}
impl<M: Dim, K: Dim, N: Dim> MatMulShape<(K, N)> for (M, K) {
    type Output = (M, N);
}
impl<B: Dim, M: Dim, K: Dim, N: Dim> MatMulShape<(K, N)> for (B, M, K) {
    type Output = (B, M, N);
}
impl<B1: Dim, B2: Dim, M: Dim, K: Dim, N: Dim> MatMulShape<(B2, K, N)> for (B1, M, K)
where
    B1: BroadcastDim<B2>,
{
    type Output = (<B1 as BroadcastDim<B2>>::Output, M, N);
}
impl<B: Dim, C: Dim, M: Dim, K: Dim, N: Dim> MatMulShape<(K, N)> for (B, C, M, K) {
    type Output = (B, C, M, N);
}
impl<B1: Dim, C1: Dim, B2: Dim, C2: Dim, M: Dim, K: Dim, N: Dim> MatMulShape<(B2, C2, K, N)>
    for (B1, C1, M, K)
where
    B1: BroadcastDim<B2>,
    C1: BroadcastDim<C2>,
{
    type Output = (
        <B1 as BroadcastDim<B2>>::Output,
        <C1 as BroadcastDim<C2>>::Output,
        M,
        N,
    );
}

impl<S1: Shape, E: Numeric, Dev: Device> Tensor<S1, E, Dev> {
    /// Matrix product with PyTorch's `matmul` semantics.
    ///
    /// ```
    /// use typed_torch::{Tensor, D, Dyn};
    /// let x = Tensor::<(Dyn, D<784>)>::zeros_dyn(&[8]).unwrap();
    /// let w = Tensor::<(D<784>, D<10>)>::zeros();
    /// let y: Tensor<(Dyn, D<10>)> = x.matmul(&w);
    /// ```
    ///
    /// # Panics
    ///
    /// At the caller's line, when a `Dyn` contracted dim differs between the operands or `Dyn`
    /// batch dims do not broadcast; [`try_matmul`](Self::try_matmul) returns the error instead.
    #[track_caller]
    pub fn matmul<S2: Shape>(&self, rhs: &Tensor<S2, E, Dev>) -> Tensor<S1::Output, E, Dev>
    where
        S1: MatMulShape<S2>,
    {
        Tensor::wrap(or_panic(matmul(self.as_tch(), rhs.as_tch())))
    }

    /// [`matmul`](Self::matmul), or an [`Error::Operands`](crate::Error::Operands) when the
    /// operands' `Dyn` sizes do not fit.
    ///
    /// ```
    /// use typed_torch::{Tensor, D, Dyn};
    /// let x = Tensor::<(D<8>, Dyn)>::zeros_dyn(&[5]).unwrap();
    /// let w = Tensor::<(Dyn, D<10>)>::zeros_dyn(&[4]).unwrap();
    /// let err = x.try_matmul(&w).unwrap_err();
    /// assert!(err.to_string().contains("expected the left's last dim to equal the right's first dim, found 5 against 4"));
    /// ```
    pub fn try_matmul<S2: Shape>(
        &self,
        rhs: &Tensor<S2, E, Dev>,
    ) -> Result<Tensor<S1::Output, E, Dev>>
    where
        S1: MatMulShape<S2>,
    {
        matmul(self.as_tch(), rhs.as_tch()).map(Tensor::wrap)
    }
}

/// libtorch's `matmul`, its failure explained.
fn matmul(a: &tch::Tensor, b: &tch::Tensor) -> Result<tch::Tensor> {
    check("matmul", &[a, b], Needs::MatMul, a.f_matmul(b))
}

impl<A: Dim, B: Dim, E: Numeric, Dev: Device> Tensor<(A, B), E, Dev> {
    /// Transpose of a matrix.
    pub fn t(&self) -> Tensor<(B, A), E, Dev> {
        Tensor::wrap(self.as_tch().transpose(0, 1))
    }
}
