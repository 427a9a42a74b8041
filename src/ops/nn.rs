//! Neural-network primitives without parameters of their own: dropout and embedding lookup.
use crate::device::Device;
use crate::dims::Dim;
use crate::element::Float;
use crate::explain::{check, or_panic, Needs};
use crate::shape::{AppendAxis, Shape};
use crate::tensor::Tensor;

impl<S: Shape, E: Float, Dev: Device> Tensor<S, E, Dev> {
    /// Dropout: in training, zeroes each element with probability `p` and scales the rest by
    /// `1/(1-p)`; the identity when `train` is false.
    ///
    /// # Panics
    ///
    /// At the caller's line, when `p` is outside `[0, 1]`.
    #[track_caller]
    pub fn dropout(&self, p: f64, train: bool) -> Self {
        let t = self.as_tch();
        Tensor::wrap(or_panic(check(
            "dropout",
            &[t],
            Needs::Probability(p),
            t.f_dropout(p, train),
        )))
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
    ///
    /// # Panics
    ///
    /// At the caller's line, when an index is outside `0..V`.
    #[track_caller]
    pub fn embedding<S>(
        &self,
        indices: &Tensor<S, i64, Dev>,
    ) -> Tensor<<S as AppendAxis<F>>::Output, E, Dev>
    where
        S: Shape + AppendAxis<F>,
    {
        Tensor::wrap(or_panic(embedding(self.as_tch(), indices.as_tch(), None)))
    }
}

/// libtorch's `embedding` lookup of `indices` in `table`, with an optional padding row, its failure
/// explained; shared with the `Embedding` layer.
pub(crate) fn embedding(
    table: &tch::Tensor,
    indices: &tch::Tensor,
    padding: Option<usize>,
) -> crate::Result<tch::Tensor> {
    let padding = padding.map_or(-1, |p| p as i64);
    let result = tch::Tensor::f_embedding(table, indices, padding, false, false);
    check("embedding", &[table, indices], Needs::Indices(0), result)
}
