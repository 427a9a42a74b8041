//! Pooling over the last two axes of `(batch, channels, height, width)` tensors.
use crate::device::Device;
use crate::dims::{ConvDim, Dim, D};
use crate::element::Float;
use crate::explain::{check, or_panic, Needs};
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
    ///
    /// # Panics
    ///
    /// At the caller's line, when a `Dyn` height or width is smaller than the dilated window
    /// after padding, or the padding is more than half the window.
    #[track_caller]
    pub fn max_pool2d<const K: usize, const S: usize, const P: usize, const L: usize>(
        &self,
    ) -> Tensor<(N, C, Pooled<H, K, S, P, L>, Pooled<W, K, S, P, L>), E, Dev>
    where
        H: ConvDim<D<K>, D<S>, D<P>, D<L>>,
        W: ConvDim<D<K>, D<S>, D<P>, D<L>>,
    {
        let (x, (kernel, stride, pad, dil)) =
            (self.as_tch(), (K as i64, S as i64, P as i64, L as i64));
        let result = x.f_max_pool2d([kernel; 2], [stride; 2], [pad; 2], [dil; 2], false);
        let needs = Needs::Pool { kernel, pad, dil };
        Tensor::wrap(or_panic(check("max_pool2d", &[x], needs, result)))
    }

    /// Average pooling with a `K`x`K` window, stride `S`, padding `P` (floor mode, padding counted).
    ///
    /// # Panics
    ///
    /// At the caller's line, when a `Dyn` height or width is smaller than the window after
    /// padding, or the padding is more than half the window.
    #[track_caller]
    pub fn avg_pool2d<const K: usize, const S: usize, const P: usize>(
        &self,
    ) -> Tensor<(N, C, Pooled<H, K, S, P, 1>, Pooled<W, K, S, P, 1>), E, Dev>
    where
        H: ConvDim<D<K>, D<S>, D<P>, D<1>>,
        W: ConvDim<D<K>, D<S>, D<P>, D<1>>,
    {
        let (x, (kernel, stride, pad)) = (self.as_tch(), (K as i64, S as i64, P as i64));
        let result = x.f_avg_pool2d([kernel; 2], [stride; 2], [pad; 2], false, true, None);
        let needs = Needs::Pool {
            kernel,
            pad,
            dil: 1,
        };
        Tensor::wrap(or_panic(check("avg_pool2d", &[x], needs, result)))
    }

    /// Adaptive average pooling to an `OH`x`OW` output.
    ///
    /// # Panics
    ///
    /// At the caller's line, when a `Dyn` channel, height or width dim is empty.
    #[track_caller]
    pub fn adaptive_avg_pool2d<const OH: usize, const OW: usize>(
        &self,
    ) -> Tensor<(N, C, D<OH>, D<OW>), E, Dev> {
        let x = self.as_tch();
        let result = x.f_adaptive_avg_pool2d([OH as i64, OW as i64]);
        Tensor::wrap(or_panic(check(
            "adaptive_avg_pool2d",
            &[x],
            Needs::NonEmpty(1, 4),
            result,
        )))
    }
}
