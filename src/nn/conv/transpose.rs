//! `ConvTranspose2d`.
use super::PerGroup;
use crate::device::{Cpu, Device};
use crate::dims::{ConvTransposeDim, Dim, DimDiv, DimMul, StaticDim, D};
use crate::element::Float;
use crate::error::Result;
use crate::nn::init::fan_in_uniform;
use crate::nn::module::module_via_layer_input;
use crate::nn::{Init, LayerInput, Optional};
use crate::options::ConvTransposeLayerOptions as Options;
use crate::tensor::Tensor;

/// The output size of the transposed convolution over `X`.
type Out<X, const K: usize, O> = <X as ConvTransposeDim<
    D<K>,
    <O as Options>::Stride,
    <O as Options>::Padding,
    <O as Options>::OutputPadding,
    <O as Options>::Dilation,
>>::Output;

/// `torch.nn.ConvTranspose2d(IN, OUT, K)`: weight `(IN, OUT/groups, K, K)`, bias `(OUT,)`; takes
/// `(N, D<IN>, H, W)`.
///
/// Options: [`Stride`](crate::options::Stride), [`Padding`](crate::options::Padding),
/// [`OutputPadding`](crate::options::OutputPadding), [`Dilation`](crate::options::Dilation),
/// [`Groups`](crate::options::Groups), [`NoBias`](crate::options::NoBias).
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{ConvTranspose2d, Init, Module};
/// use typed_torch::options::{OutputPadding, Padding, Stride};
/// use typed_torch::{Tensor, D};
/// let up = ConvTranspose2d::<8, 4, 3, (Stride<2>, Padding<1>, OutputPadding<1>)>::init().unwrap();
/// let y: Tensor<(D<1>, D<4>, D<28>, D<28>)> = up.forward(Tensor::<(D<1>, D<8>, D<14>, D<14>)>::zeros());
/// ```
#[derive(Debug, Clone, crate::nn::Module)]
#[module(manual_init)]
pub struct ConvTranspose2d<
    const IN: usize,
    const OUT: usize,
    const K: usize,
    Opts: Options = (),
    E: Float = f32,
    Dev: Device = Cpu,
> where
    D<OUT>: DimDiv<Opts::Groups>,
{
    /// `(IN, OUT/groups, K, K)`.
    pub weight: Tensor<(D<IN>, PerGroup<OUT, Opts::Groups>, D<K>, D<K>), E, Dev>,
    /// `(OUT,)`, unless [`NoBias`](crate::options::NoBias).
    pub bias: Optional<Opts::Bias, Tensor<(D<OUT>,), E, Dev>>,
}

/// PyTorch's initialisation: its fan-in is computed from weight dim 1, `OUT/groups * K * K`.
impl<const IN: usize, const OUT: usize, const K: usize, Opts: Options, E: Float, Dev: Device> Init
    for ConvTranspose2d<IN, OUT, K, Opts, E, Dev>
where
    D<OUT>: DimDiv<Opts::Groups>,
{
    fn init() -> Result<Self> {
        let fan_in = OUT / Opts::Groups::SIZE.max(1) * K * K;
        Ok(ConvTranspose2d {
            weight: fan_in_uniform(fan_in)?,
            bias: Optional::make(|| fan_in_uniform(fan_in))?,
        })
    }
}

impl<N: Dim, H: Dim, W: Dim, const IN: usize, const OUT: usize, const K: usize, Opts, E, Dev>
    LayerInput<ConvTranspose2d<IN, OUT, K, Opts, E, Dev>> for Tensor<(N, D<IN>, H, W), E, Dev>
where
    Opts: Options,
    E: Float,
    Dev: Device,
    D<OUT>: DimDiv<Opts::Groups>,
    PerGroup<OUT, Opts::Groups>: DimMul<Opts::Groups, Output = D<OUT>>,
    H: ConvTransposeDim<D<K>, Opts::Stride, Opts::Padding, Opts::OutputPadding, Opts::Dilation>,
    W: ConvTransposeDim<D<K>, Opts::Stride, Opts::Padding, Opts::OutputPadding, Opts::Dilation>,
{
    type Output = Tensor<(N, D<OUT>, Out<H, K, Opts>, Out<W, K, Opts>), E, Dev>;
    fn run(layer: &ConvTranspose2d<IN, OUT, K, Opts, E, Dev>, x: Self) -> Self::Output {
        let sizes = [
            Opts::Stride::SIZE as i64,
            Opts::Padding::SIZE as i64,
            Opts::OutputPadding::SIZE as i64,
            Opts::Dilation::SIZE as i64,
            Opts::Groups::SIZE as i64,
        ];
        x.conv_transpose2d_raw(&layer.weight, layer.bias.get(), sizes)
    }
}

module_via_layer_input!([const IN: usize, const OUT: usize, const K: usize, Opts: Options, E: Float, Dev: Device] ConvTranspose2d<IN, OUT, K, Opts, E, Dev> where D<OUT>: DimDiv<Opts::Groups>);
