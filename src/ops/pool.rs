//! Pooling over the last two axes of `(batch, channels, height, width)` tensors.
use crate::device::Device;
use crate::dims::{ConvDim, Dim, StaticDim, D};
use crate::element::Float;
use crate::explain::{check, or_panic, Needs};
use crate::options::{AvgPoolOptions, Kernel, MaxPoolOptions};
use crate::shape::Shape;
use crate::tensor::Tensor;

/// The pooled size of `X`.
type Pooled<X, K, S, P, L> = <X as ConvDim<K, S, P, L>>::Output;

impl<N: Dim, C: Dim, H: Dim, W: Dim, E: Float, Dev: Device> Tensor<(N, C, H, W), E, Dev> {
    /// Max pooling with a `K`x`K` window (floor mode); options
    /// [`Stride`](crate::options::Stride) (default: the kernel), [`Padding`](crate::options::Padding),
    /// [`Dilation`](crate::options::Dilation).
    ///
    /// ```
    /// use typed_torch::options::{Kernel, Padding, Stride};
    /// use typed_torch::{Tensor, D};
    /// let x = Tensor::<(D<1>, D<3>, D<28>, D<28>)>::randn();
    /// let y: Tensor<(D<1>, D<3>, D<14>, D<14>)> = x.max_pool2d(Kernel::<2>, ());
    /// let z: Tensor<(D<1>, D<3>, D<14>, D<14>)> = x.max_pool2d(Kernel::<3>, (Stride::<2>, Padding::<1>));
    /// ```
    ///
    /// # Panics
    ///
    /// At the caller's line, when a `Dyn` height or width is smaller than the dilated window
    /// after padding, or the padding is more than half the window.
    #[track_caller]
    #[allow(clippy::type_complexity)]
    pub fn max_pool2d<const K: usize, Opts: MaxPoolOptions<D<K>>>(
        &self,
        _kernel: Kernel<K>,
        _options: Opts,
    ) -> Tensor<
        (
            N,
            C,
            Pooled<H, D<K>, Opts::Stride, Opts::Padding, Opts::Dilation>,
            Pooled<W, D<K>, Opts::Stride, Opts::Padding, Opts::Dilation>,
        ),
        E,
        Dev,
    >
    where
        H: ConvDim<D<K>, Opts::Stride, Opts::Padding, Opts::Dilation>,
        W: ConvDim<D<K>, Opts::Stride, Opts::Padding, Opts::Dilation>,
    {
        let sizes = [
            K as i64,
            Opts::Stride::SIZE as i64,
            Opts::Padding::SIZE as i64,
            Opts::Dilation::SIZE as i64,
        ];
        self.max_pool2d_raw(sizes)
    }

    /// `max_pool2d` with kernel, stride, padding and dilation as numbers, for layers whose types
    /// already computed the output shape `S2`.
    #[track_caller]
    pub(crate) fn max_pool2d_raw<S2: Shape>(
        &self,
        [kernel, stride, pad, dil]: [i64; 4],
    ) -> Tensor<S2, E, Dev> {
        let x = self.as_tch();
        let result = x.f_max_pool2d([kernel; 2], [stride; 2], [pad; 2], [dil; 2], false);
        let needs = Needs::Pool { kernel, pad, dil };
        Tensor::wrap(or_panic(check("max_pool2d", &[x], needs, result)))
    }

    /// Average pooling with a `K`x`K` window (floor mode, padding counted); options
    /// [`Stride`](crate::options::Stride) (default: the kernel), [`Padding`](crate::options::Padding).
    ///
    /// ```
    /// use typed_torch::options::{Kernel, Stride};
    /// use typed_torch::{Tensor, D};
    /// let x = Tensor::<(D<1>, D<3>, D<8>, D<8>)>::randn();
    /// let y: Tensor<(D<1>, D<3>, D<3>, D<3>)> = x.avg_pool2d(Kernel::<3>, Stride::<2>);
    /// ```
    ///
    /// # Panics
    ///
    /// At the caller's line, when a `Dyn` height or width is smaller than the window after
    /// padding, or the padding is more than half the window.
    #[track_caller]
    #[allow(clippy::type_complexity)]
    pub fn avg_pool2d<const K: usize, Opts: AvgPoolOptions<D<K>>>(
        &self,
        _kernel: Kernel<K>,
        _options: Opts,
    ) -> Tensor<
        (
            N,
            C,
            Pooled<H, D<K>, Opts::Stride, Opts::Padding, D<1>>,
            Pooled<W, D<K>, Opts::Stride, Opts::Padding, D<1>>,
        ),
        E,
        Dev,
    >
    where
        H: ConvDim<D<K>, Opts::Stride, Opts::Padding, D<1>>,
        W: ConvDim<D<K>, Opts::Stride, Opts::Padding, D<1>>,
    {
        self.avg_pool2d_raw([
            K as i64,
            Opts::Stride::SIZE as i64,
            Opts::Padding::SIZE as i64,
        ])
    }

    /// `avg_pool2d` with kernel, stride and padding as numbers.
    #[track_caller]
    pub(crate) fn avg_pool2d_raw<S2: Shape>(
        &self,
        [kernel, stride, pad]: [i64; 3],
    ) -> Tensor<S2, E, Dev> {
        let x = self.as_tch();
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
