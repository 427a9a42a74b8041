//! Pooling layers over `(N, C, H, W)`: `MaxPool2d`, `AvgPool2d`, `AdaptiveAvgPool2d`.
use super::module::module_via_layer_input;
use super::{LayerInput, Params};
use crate::device::Device;
use crate::dims::{ConvDim, Dim, D};
use crate::element::Float;
use crate::tensor::Tensor;

type Pooled<X, const K: usize, const S: usize, const P: usize, const L: usize> =
    <X as ConvDim<D<K>, D<S>, D<P>, D<L>>>::Output;

/// `torch.nn.MaxPool2d(K, stride=S, padding=P, dilation=L)`; the stride defaults to the kernel.
///
/// ```
/// use typed_torch::nn::{MaxPool2d, Module};
/// use typed_torch::{Tensor, D};
/// let y: Tensor<(D<1>, D<3>, D<14>, D<14>)> = MaxPool2d::<2>.forward(Tensor::<(D<1>, D<3>, D<28>, D<28>)>::zeros());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct MaxPool2d<const K: usize, const S: usize = K, const P: usize = 0, const L: usize = 1>;

/// `torch.nn.AvgPool2d(K, stride=S, padding=P)` (padding counted, floor mode).
#[derive(Debug, Clone, Copy, Default)]
pub struct AvgPool2d<const K: usize, const S: usize = K, const P: usize = 0>;

/// `torch.nn.AdaptiveAvgPool2d((OH, OW))`.
#[derive(Debug, Clone, Copy, Default)]
pub struct AdaptiveAvgPool2d<const OH: usize, const OW: usize>;

impl<
        N: Dim,
        C: Dim,
        H: Dim,
        W: Dim,
        E: Float,
        Dev: Device,
        const K: usize,
        const S: usize,
        const P: usize,
        const L: usize,
    > LayerInput<MaxPool2d<K, S, P, L>> for Tensor<(N, C, H, W), E, Dev>
where
    H: ConvDim<D<K>, D<S>, D<P>, D<L>>,
    W: ConvDim<D<K>, D<S>, D<P>, D<L>>,
{
    type Output = Tensor<(N, C, Pooled<H, K, S, P, L>, Pooled<W, K, S, P, L>), E, Dev>;
    fn run(_: &MaxPool2d<K, S, P, L>, x: Self) -> Self::Output {
        x.max_pool2d::<K, S, P, L>()
    }
}

impl<
        N: Dim,
        C: Dim,
        H: Dim,
        W: Dim,
        E: Float,
        Dev: Device,
        const K: usize,
        const S: usize,
        const P: usize,
    > LayerInput<AvgPool2d<K, S, P>> for Tensor<(N, C, H, W), E, Dev>
where
    H: ConvDim<D<K>, D<S>, D<P>, D<1>>,
    W: ConvDim<D<K>, D<S>, D<P>, D<1>>,
{
    type Output = Tensor<(N, C, Pooled<H, K, S, P, 1>, Pooled<W, K, S, P, 1>), E, Dev>;
    fn run(_: &AvgPool2d<K, S, P>, x: Self) -> Self::Output {
        x.avg_pool2d::<K, S, P>()
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

module_via_layer_input!([const K: usize, const S: usize, const P: usize, const L: usize] MaxPool2d<K, S, P, L>);
module_via_layer_input!([const K: usize, const S: usize, const P: usize] AvgPool2d<K, S, P>);
module_via_layer_input!([const OH: usize, const OW: usize] AdaptiveAvgPool2d<OH, OW>);

macro_rules! no_params {
    ($($name:ident<$(const $c:ident),*>),*) => {$(
        impl<$(const $c: usize),*> Params for $name<$($c),*> {
            fn visit(&self, _: &str, _: &mut dyn FnMut(&str, &tch::Tensor)) {}
            fn visit_mut(&mut self, _: &str, _: &mut dyn FnMut(&str, &mut tch::Tensor)) {}
        }
        impl<$(const $c: usize),*> super::StaticParamCount for $name<$($c),*> {
            const PARAM_COUNT: usize = 0;
        }
        impl<$(const $c: usize),*> super::ToDevice for $name<$($c),*> {
            type On<D2: Device> = Self;
            fn to_device<D2: Device>(&self) -> crate::Result<Self> {
                D2::check()?;
                Ok(*self)
            }
        }
        impl<$(const $c: usize),*> super::ToKind for $name<$($c),*> {
            type As<E2: Float> = Self;
            fn to_kind<E2: Float>(&self) -> Self {
                *self
            }
        }
    )*};
}
no_params!(MaxPool2d<const K, const S, const P, const L>, AvgPool2d<const K, const S, const P>, AdaptiveAvgPool2d<const OH, const OW>);
