//! Pooling over the last two axes of `(batch, channels, height, width)` tensors.
use crate::device::Device;
use crate::dims::{ConvDim, Dim, D};
use crate::element::Float;
use crate::tensor::Tensor;

type Pooled<X, const K: usize, const S: usize, const P: usize, const L: usize> =
    <X as ConvDim<D<K>, D<S>, D<P>, D<L>>>::Output;

impl<N: Dim, C: Dim, H: Dim, W: Dim, E: Float, Dev: Device> Tensor<(N, C, H, W), E, Dev> {
    /// Max pooling with a `K`x`K` window, stride `S`, padding `P`, dilation `L` (floor mode).
    ///
    /// ```
    /// use typed_torch::{Tensor, D};
    /// let x = Tensor::<(D<1>, D<3>, D<28>, D<28>)>::randn();
    /// let y: Tensor<(D<1>, D<3>, D<14>, D<14>)> = x.max_pool2d::<2, 2, 0, 1>();
    /// ```
    pub fn max_pool2d<const K: usize, const S: usize, const P: usize, const L: usize>(
        &self,
    ) -> Tensor<(N, C, Pooled<H, K, S, P, L>, Pooled<W, K, S, P, L>), E, Dev>
    where
        H: ConvDim<D<K>, D<S>, D<P>, D<L>>,
        W: ConvDim<D<K>, D<S>, D<P>, D<L>>,
    {
        Tensor::wrap(self.as_tch().max_pool2d(
            [K as i64; 2],
            [S as i64; 2],
            [P as i64; 2],
            [L as i64; 2],
            false,
        ))
    }

    /// Average pooling with a `K`x`K` window, stride `S`, padding `P` (floor mode, padding counted).
    pub fn avg_pool2d<const K: usize, const S: usize, const P: usize>(
        &self,
    ) -> Tensor<(N, C, Pooled<H, K, S, P, 1>, Pooled<W, K, S, P, 1>), E, Dev>
    where
        H: ConvDim<D<K>, D<S>, D<P>, D<1>>,
        W: ConvDim<D<K>, D<S>, D<P>, D<1>>,
    {
        Tensor::wrap(self.as_tch().avg_pool2d(
            [K as i64; 2],
            [S as i64; 2],
            [P as i64; 2],
            false,
            true,
            None,
        ))
    }

    /// Adaptive average pooling to an `OH`x`OW` output.
    pub fn adaptive_avg_pool2d<const OH: usize, const OW: usize>(
        &self,
    ) -> Tensor<(N, C, D<OH>, D<OW>), E, Dev> {
        Tensor::wrap(self.as_tch().adaptive_avg_pool2d([OH as i64, OW as i64]))
    }
}
