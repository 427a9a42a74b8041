//! Pooling layers over `(N, C, H, W)`: `MaxPool2d`, `AvgPool2d`, `AdaptiveAvgPool2d`. The kernel
//! is positional, as in PyTorch; the other options are named and the stride defaults to the
//! kernel.
use crate::device::Device;
use crate::dims::{ConvDim, Dim, StaticDim, D};
use crate::element::Float;
use crate::nn::module::module_via_layer_input;
use crate::nn::LayerInput;
use crate::options::{AvgPoolOptions, MaxPoolOptions};
use crate::tensor::Tensor;
use core::marker::PhantomData;

/// `torch.nn.MaxPool2d(K)`; options [`Stride`](crate::options::Stride) (default: the kernel),
/// [`Padding`](crate::options::Padding), [`Dilation`](crate::options::Dilation).
///
/// ```
/// use typed_torch::nn::{Init, MaxPool2d, Module};
/// use typed_torch::options::{Padding, Stride};
/// use typed_torch::{Tensor, D};
/// let x = Tensor::<(D<1>, D<3>, D<28>, D<28>)>::zeros();
/// let y: Tensor<(D<1>, D<3>, D<14>, D<14>)> = MaxPool2d::<2>::default().forward(x.clone());
/// let z: Tensor<(D<1>, D<3>, D<14>, D<14>)> = MaxPool2d::<3, (Stride<2>, Padding<1>)>::default().forward(x);
/// ```
#[derive(Debug, crate::nn::Module)]
pub struct MaxPool2d<const K: usize, Opts: MaxPoolOptions<D<K>> = ()>(
    #[module(skip)] PhantomData<Opts>,
);

/// `torch.nn.AvgPool2d(K)` (padding counted, floor mode); options
/// [`Stride`](crate::options::Stride) (default: the kernel), [`Padding`](crate::options::Padding).
#[derive(Debug, crate::nn::Module)]
pub struct AvgPool2d<const K: usize, Opts: AvgPoolOptions<D<K>> = ()>(
    #[module(skip)] PhantomData<Opts>,
);

/// `torch.nn.AdaptiveAvgPool2d((OH, OW))`.
#[derive(Debug, Clone, Copy, Default, crate::nn::Module)]
pub struct AdaptiveAvgPool2d<const OH: usize, const OW: usize>;

// By hand: a derive would require `Opts: Clone` / `Default`, which options need not be.
macro_rules! unit_like {
    ($($name:ident<$tr:ident>),*) => {$(
        impl<const K: usize, Opts: $tr<D<K>>> Clone for $name<K, Opts> {
            fn clone(&self) -> Self {
                *self
            }
        }
        impl<const K: usize, Opts: $tr<D<K>>> Copy for $name<K, Opts> {}
        impl<const K: usize, Opts: $tr<D<K>>> Default for $name<K, Opts> {
            fn default() -> Self {
                $name(PhantomData)
            }
        }
    )*};
}
unit_like!(MaxPool2d<MaxPoolOptions>, AvgPool2d<AvgPoolOptions>);

/// The pooled size of `X`.
type Pooled<X, K, S, P, L> = <X as ConvDim<K, S, P, L>>::Output;

impl<N: Dim, C: Dim, H: Dim, W: Dim, E: Float, Dev: Device, const K: usize, Opts>
    LayerInput<MaxPool2d<K, Opts>> for Tensor<(N, C, H, W), E, Dev>
where
    Opts: MaxPoolOptions<D<K>>,
    H: ConvDim<D<K>, Opts::Stride, Opts::Padding, Opts::Dilation>,
    W: ConvDim<D<K>, Opts::Stride, Opts::Padding, Opts::Dilation>,
{
    type Output = Tensor<
        (
            N,
            C,
            Pooled<H, D<K>, Opts::Stride, Opts::Padding, Opts::Dilation>,
            Pooled<W, D<K>, Opts::Stride, Opts::Padding, Opts::Dilation>,
        ),
        E,
        Dev,
    >;
    fn run(_: &MaxPool2d<K, Opts>, x: Self) -> Self::Output {
        x.max_pool2d_raw([
            K as i64,
            Opts::Stride::SIZE as i64,
            Opts::Padding::SIZE as i64,
            Opts::Dilation::SIZE as i64,
        ])
    }
}

impl<N: Dim, C: Dim, H: Dim, W: Dim, E: Float, Dev: Device, const K: usize, Opts>
    LayerInput<AvgPool2d<K, Opts>> for Tensor<(N, C, H, W), E, Dev>
where
    Opts: AvgPoolOptions<D<K>>,
    H: ConvDim<D<K>, Opts::Stride, Opts::Padding, D<1>>,
    W: ConvDim<D<K>, Opts::Stride, Opts::Padding, D<1>>,
{
    type Output = Tensor<
        (
            N,
            C,
            Pooled<H, D<K>, Opts::Stride, Opts::Padding, D<1>>,
            Pooled<W, D<K>, Opts::Stride, Opts::Padding, D<1>>,
        ),
        E,
        Dev,
    >;
    fn run(_: &AvgPool2d<K, Opts>, x: Self) -> Self::Output {
        x.avg_pool2d_raw([
            K as i64,
            Opts::Stride::SIZE as i64,
            Opts::Padding::SIZE as i64,
        ])
    }
}

impl<N: Dim, C: Dim, H: Dim, W: Dim, E: Float, Dev: Device, const OH: usize, const OW: usize>
    LayerInput<AdaptiveAvgPool2d<OH, OW>> for Tensor<(N, C, H, W), E, Dev>
{
    type Output = Tensor<(N, C, D<OH>, D<OW>), E, Dev>;
    fn run(_: &AdaptiveAvgPool2d<OH, OW>, x: Self) -> Self::Output {
        x.adaptive_avg_pool2d::<OH, OW>()
    }
}

module_via_layer_input!([const K: usize, Opts: MaxPoolOptions<D<K>>] MaxPool2d<K, Opts>);
module_via_layer_input!([const K: usize, Opts: AvgPoolOptions<D<K>>] AvgPool2d<K, Opts>);
module_via_layer_input!([const OH: usize, const OW: usize] AdaptiveAvgPool2d<OH, OW>);
