//! Neural-network primitives without parameters of their own: dropout and embedding lookup.
use crate::device::Device;
use crate::dims::Dim;
use crate::element::Float;
use crate::shape::{AppendAxis, Shape};
use crate::tensor::Tensor;

impl<S: Shape, E: Float, Dev: Device> Tensor<S, E, Dev> {
    /// Dropout: in training, zeroes each element with probability `p` and scales the rest by
    /// `1/(1-p)`; the identity when `train` is false.
    pub fn dropout(&self, p: f64, train: bool) -> Self {
        Tensor::wrap(self.as_tch().dropout(p, train))
    }
}

impl<V: Dim, F: Dim, E: Float, Dev: Device> Tensor<(V, F), E, Dev> {
    /// Looks up rows of this `(vocabulary, features)` table for every index in `indices`.
    ///
    /// ```
    /// use typed_torch::{Tensor, D, Dyn};
    /// let table = Tensor::<(D<10>, D<4>)>::randn();
    /// let idx = Tensor::<(D<2>, D<3>), i64>::zeros();
    /// let e: Tensor<(D<2>, D<3>, D<4>)> = table.embedding(&idx);
    /// ```
    pub fn embedding<S>(
        &self,
        indices: &Tensor<S, i64, Dev>,
    ) -> Tensor<<S as AppendAxis<F>>::Output, E, Dev>
    where
        S: Shape + AppendAxis<F>,
    {
        Tensor::wrap(tch::Tensor::embedding(
            self.as_tch(),
            indices.as_tch(),
            -1,
            false,
            false,
        ))
    }
}
