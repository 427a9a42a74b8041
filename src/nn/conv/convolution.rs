//! `Conv1d` and `Conv2d`.
use super::PerGroup;
use crate::device::{Cpu, Device};
use crate::dims::{ConvDim, Dim, DimDiv, GroupedChannels, StaticDim, D};
use crate::element::Float;
use crate::error::Result;
use crate::nn::init::fan_in_uniform;
use crate::nn::module::module_via_layer_input;
use crate::nn::{Init, LayerInput, Optional};
use crate::options::ConvLayerOptions;
use crate::tensor::Tensor;

/// The output size of a convolution over dim `X` with kernel `K` and the layer's options.
type Out<X, const K: usize, O> = <X as ConvDim<
    D<K>,
    <O as ConvLayerOptions>::Stride,
    <O as ConvLayerOptions>::Padding,
    <O as ConvLayerOptions>::Dilation,
>>::Output;

/// `torch.nn.Conv2d(IN, OUT, K)`: weight `(OUT, IN/groups, K, K)`, bias `(OUT,)`; takes
/// `(N, D<IN>, H, W)`.
///
/// Options: [`Stride`](crate::options::Stride), [`Padding`](crate::options::Padding),
/// [`Dilation`](crate::options::Dilation), [`Groups`](crate::options::Groups) (must divide `IN`
/// and `OUT`, checked at compile time), [`NoBias`](crate::options::NoBias), in any order.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Conv2d, Init, Module};
/// use typed_torch::options::{NoBias, Padding, Stride};
/// use typed_torch::{Tensor, D, Dyn};
/// let conv = Conv2d::<1, 6, 5, Padding<2>>::init().unwrap();
/// let x = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_dyn(&[4]).unwrap();
/// let y: Tensor<(Dyn, D<6>, D<28>, D<28>)> = conv.forward(x);
/// // nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False):
/// let stem = Conv2d::<3, 64, 7, (Stride<2>, Padding<3>, NoBias)>::init().unwrap();
/// ```
#[derive(Debug, Clone, crate::nn::Module)]
#[module(manual_init)]
pub struct Conv2d<
    const IN: usize,
    const OUT: usize,
    const K: usize,
    Opts: ConvLayerOptions = (),
    E: Float = f32,
    Dev: Device = Cpu,
> where
    D<IN>: DimDiv<Opts::Groups>,
{
    /// `(OUT, IN/groups, K, K)`.
    pub weight: Tensor<(D<OUT>, PerGroup<IN, Opts::Groups>, D<K>, D<K>), E, Dev>,
    /// `(OUT,)`, unless [`NoBias`](crate::options::NoBias).
    pub bias: Optional<Opts::Bias, Tensor<(D<OUT>,), E, Dev>>,
}

/// PyTorch's initialisation: weight and bias uniform in `±1/sqrt(IN/groups * K * K)`.
impl<
        const IN: usize,
        const OUT: usize,
        const K: usize,
        Opts: ConvLayerOptions,
        E: Float,
        Dev: Device,
    > Init for Conv2d<IN, OUT, K, Opts, E, Dev>
where
    D<IN>: DimDiv<Opts::Groups>,
{
    fn init() -> Result<Self> {
        let fan_in = IN / Opts::Groups::SIZE.max(1) * K * K;
        Ok(Conv2d {
            weight: fan_in_uniform(fan_in)?,
            bias: Optional::make(|| fan_in_uniform(fan_in))?,
        })
    }
}

impl<N: Dim, H: Dim, W: Dim, const IN: usize, const OUT: usize, const K: usize, Opts, E, Dev>
    LayerInput<Conv2d<IN, OUT, K, Opts, E, Dev>> for Tensor<(N, D<IN>, H, W), E, Dev>
where
    Opts: ConvLayerOptions,
    E: Float,
    Dev: Device,
    D<IN>: DimDiv<Opts::Groups> + GroupedChannels<PerGroup<IN, Opts::Groups>, Opts::Groups>,
    H: ConvDim<D<K>, Opts::Stride, Opts::Padding, Opts::Dilation>,
    W: ConvDim<D<K>, Opts::Stride, Opts::Padding, Opts::Dilation>,
{
    type Output = Tensor<(N, D<OUT>, Out<H, K, Opts>, Out<W, K, Opts>), E, Dev>;
    fn run(layer: &Conv2d<IN, OUT, K, Opts, E, Dev>, x: Self) -> Self::Output {
        let (stride, pad, dil, groups) = sizes::<Opts>();
        x.conv2d_raw(
            &layer.weight,
            layer.bias.get(),
            [stride, pad, 0, dil, groups],
        )
    }
}
module_via_layer_input!([const IN: usize, const OUT: usize, const K: usize, Opts: ConvLayerOptions, E: Float, Dev: Device] Conv2d<IN, OUT, K, Opts, E, Dev> where D<IN>: DimDiv<Opts::Groups>);

/// `torch.nn.Conv1d(IN, OUT, K)`: weight `(OUT, IN/groups, K)`, bias `(OUT,)`; takes
/// `(N, D<IN>, LEN)`. Options as for [`Conv2d`].
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Conv1d, Init, Module};
/// use typed_torch::options::{Dilation, Padding};
/// use typed_torch::{Tensor, D};
/// let conv = Conv1d::<4, 8, 3, (Padding<2>, Dilation<2>)>::init().unwrap();
/// let y: Tensor<(D<2>, D<8>, D<16>)> = conv.forward(Tensor::<(D<2>, D<4>, D<16>)>::zeros());
/// ```
#[derive(Debug, Clone, crate::nn::Module)]
#[module(manual_init)]
pub struct Conv1d<
    const IN: usize,
    const OUT: usize,
    const K: usize,
    Opts: ConvLayerOptions = (),
    E: Float = f32,
    Dev: Device = Cpu,
> where
    D<IN>: DimDiv<Opts::Groups>,
{
    /// `(OUT, IN/groups, K)`.
    pub weight: Tensor<(D<OUT>, PerGroup<IN, Opts::Groups>, D<K>), E, Dev>,
    /// `(OUT,)`, unless [`NoBias`](crate::options::NoBias).
    pub bias: Optional<Opts::Bias, Tensor<(D<OUT>,), E, Dev>>,
}

/// PyTorch's initialisation: weight and bias uniform in `±1/sqrt(IN/groups * K)`.
impl<
        const IN: usize,
        const OUT: usize,
        const K: usize,
        Opts: ConvLayerOptions,
        E: Float,
        Dev: Device,
    > Init for Conv1d<IN, OUT, K, Opts, E, Dev>
where
    D<IN>: DimDiv<Opts::Groups>,
{
    fn init() -> Result<Self> {
        let fan_in = IN / Opts::Groups::SIZE.max(1) * K;
        Ok(Conv1d {
            weight: fan_in_uniform(fan_in)?,
            bias: Optional::make(|| fan_in_uniform(fan_in))?,
        })
    }
}

impl<N: Dim, X: Dim, const IN: usize, const OUT: usize, const K: usize, Opts, E, Dev>
    LayerInput<Conv1d<IN, OUT, K, Opts, E, Dev>> for Tensor<(N, D<IN>, X), E, Dev>
where
    Opts: ConvLayerOptions,
    E: Float,
    Dev: Device,
    D<IN>: DimDiv<Opts::Groups> + GroupedChannels<PerGroup<IN, Opts::Groups>, Opts::Groups>,
    X: ConvDim<D<K>, Opts::Stride, Opts::Padding, Opts::Dilation>,
{
    type Output = Tensor<(N, D<OUT>, Out<X, K, Opts>), E, Dev>;
    fn run(layer: &Conv1d<IN, OUT, K, Opts, E, Dev>, x: Self) -> Self::Output {
        let (stride, pad, dil, groups) = sizes::<Opts>();
        x.conv1d_raw(&layer.weight, layer.bias.get(), [stride, pad, dil, groups])
    }
}
module_via_layer_input!([const IN: usize, const OUT: usize, const K: usize, Opts: ConvLayerOptions, E: Float, Dev: Device] Conv1d<IN, OUT, K, Opts, E, Dev> where D<IN>: DimDiv<Opts::Groups>);

/// Stride, padding, dilation and groups as libtorch takes them.
fn sizes<O: ConvLayerOptions>() -> (i64, i64, i64, i64) {
    (
        O::Stride::SIZE as i64,
        O::Padding::SIZE as i64,
        O::Dilation::SIZE as i64,
        O::Groups::SIZE as i64,
    )
}
