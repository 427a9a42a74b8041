//! torchvision's `mobilenet_v2` (Sandler et al., 2018): a stem, seventeen inverted residual
//! blocks (1x1 expansion, 3x3 depthwise, 1x1 linear projection, each with batch norm, ReLU6
//! after the first two) and a 1x1 head to 1,280 channels, named as torchvision's
//! (`features.2.conv.1.0.weight` is the depthwise kernel of the third layer).
use typed_torch::nn::{BatchNorm2d, Conv2d, Dropout, Init, Linear, Module, ReLU6};
use typed_torch::options::{Groups, NoBias, Padding, Stride};
use typed_torch::{Cpu, Device, Dim, Float, HList, Result, Tensor, D};

use super::resnet::Image;

/// torchvision's `Conv2dNormActivation` with ReLU6: convolution (no bias), batch norm, ReLU6.
pub type ConvBnReLU6<const IN: usize, const OUT: usize, const K: usize, Opts, E, Dev> =
    HList![Conv2d<IN, OUT, K, Opts, E, Dev>, BatchNorm2d<OUT, (), E, Dev>, ReLU6];

/// The 3x3 depthwise convolution of a block: one filter per channel, stride `S`.
pub type Depthwise<const C: usize, const S: usize, E, Dev> =
    ConvBnReLU6<C, C, 3, (Stride<S>, Padding<1>, Groups<C>, NoBias), E, Dev>;

/// The 1x1 projection of a block (no activation: the "linear bottleneck").
pub type Project<const IN: usize, const OUT: usize, E, Dev> =
    HList![Conv2d<IN, OUT, 1, NoBias, E, Dev>, BatchNorm2d<OUT, (), E, Dev>];

/// The layers of a block with expansion: 1x1 to `HIDDEN`, depthwise with stride `S`, 1x1 to
/// `OUT` (`conv.0`, `conv.1`, `conv.2`, `conv.3` as torchvision names them).
pub type Expanded<const IN: usize, const HIDDEN: usize, const OUT: usize, const S: usize, E, Dev> = HList![
    ConvBnReLU6<IN, HIDDEN, 1, NoBias, E, Dev>,
    Depthwise<HIDDEN, S, E, Dev>,
    Conv2d<HIDDEN, OUT, 1, NoBias, E, Dev>,
    BatchNorm2d<OUT, (), E, Dev>
];

/// torchvision's `InvertedResidual`: its layers `conv`, added to the input when `RESIDUAL`
/// (stride 1 and as many channels out as in).
#[derive(Debug, Clone, typed_torch::nn::Module)]
pub struct InvertedResidual<Layers, const RESIDUAL: bool> {
    /// The expansion (if any), depthwise and projection layers.
    pub conv: Layers,
}

impl<B: Dim, const C: usize, Layers, E: Float, Dev: Device> Module<Image<B, C, E, Dev>>
    for InvertedResidual<Layers, true>
where
    Layers: Module<Image<B, C, E, Dev>, Output = Image<B, C, E, Dev>>,
{
    type Output = Image<B, C, E, Dev>;
    fn forward(&self, x: Image<B, C, E, Dev>) -> Self::Output {
        &x + &self.conv.forward(x.clone())
    }
}

impl<B: Dim, const C: usize, Layers, E: Float, Dev: Device> Module<Image<B, C, E, Dev>>
    for InvertedResidual<Layers, false>
where
    Layers: Module<Image<B, C, E, Dev>>,
{
    type Output = Layers::Output;
    fn forward(&self, x: Image<B, C, E, Dev>) -> Self::Output {
        self.conv.forward(x)
    }
}

/// A block with expansion 6: `IN` to `6 * IN` to `OUT`, stride `S`.
type Block<const IN: usize, const HIDDEN: usize, const OUT: usize, const S: usize, E, Dev> =
    InvertedResidual<Expanded<IN, HIDDEN, OUT, S, E, Dev>, false>;
/// A block that keeps its size, added to its input.
type Same<const C: usize, const HIDDEN: usize, E, Dev> =
    InvertedResidual<Expanded<C, HIDDEN, C, 1, E, Dev>, true>;

/// `features`: the stem (3x3 stride 2 to 32 channels), the seventeen blocks of torchvision's
/// table (expansion, channels, repeats, stride: `1, 16, 1, 1`; `6, 24, 2, 2`; `6, 32, 3, 2`;
/// `6, 64, 4, 2`; `6, 96, 3, 1`; `6, 160, 3, 2`; `6, 320, 1, 1`) and the head (1x1 to 1,280).
pub type MobileNetV2Features<E = f32, Dev = Cpu> = HList![
    ConvBnReLU6<3, 32, 3, (Stride<2>, Padding<1>, NoBias), E, Dev>,
    InvertedResidual<HList![Depthwise<32, 1, E, Dev>, Conv2d<32, 16, 1, NoBias, E, Dev>, BatchNorm2d<16, (), E, Dev>], false>,
    Block<16, 96, 24, 2, E, Dev>,
    Same<24, 144, E, Dev>,
    Block<24, 144, 32, 2, E, Dev>,
    Same<32, 192, E, Dev>,
    Same<32, 192, E, Dev>,
    Block<32, 192, 64, 2, E, Dev>,
    Same<64, 384, E, Dev>,
    Same<64, 384, E, Dev>,
    Same<64, 384, E, Dev>,
    Block<64, 384, 96, 1, E, Dev>,
    Same<96, 576, E, Dev>,
    Same<96, 576, E, Dev>,
    Block<96, 576, 160, 2, E, Dev>,
    Same<160, 960, E, Dev>,
    Same<160, 960, E, Dev>,
    Block<160, 960, 320, 1, E, Dev>,
    ConvBnReLU6<320, 1280, 1, NoBias, E, Dev>
];

/// Dropout (0.2) and the linear classifier.
pub type MobileNetV2Classifier<const CLASSES: usize, E = f32, Dev = Cpu> =
    HList![Dropout, Linear<1280, CLASSES, (), E, Dev>];

/// torchvision's `mobilenet_v2`: 3.5 million parameters.
#[derive(Debug, Clone, typed_torch::nn::Module)]
#[module(manual_init)]
pub struct MobileNetV2<const CLASSES: usize = 1000, E: Float = f32, Dev: Device = Cpu> {
    /// The stem, the blocks and the head.
    pub features: MobileNetV2Features<E, Dev>,
    /// Dropout (0.2) and the linear classifier.
    pub classifier: MobileNetV2Classifier<CLASSES, E, Dev>,
}

impl<const CLASSES: usize, E: Float, Dev: Device> Init for MobileNetV2<CLASSES, E, Dev> {
    /// torchvision's initialisation: convolutions Kaiming-normal (`fan_out`), batch norms at 1
    /// and 0, the classifier normal with standard deviation 0.01 and a zero bias.
    fn init() -> Result<Self> {
        let mut model = MobileNetV2 {
            features: Init::init()?,
            classifier: hlist_classifier()?,
        };
        super::torchvision_init(&mut model, Some(0.01));
        Ok(model)
    }
}

/// The classifier with torchvision's dropout rate.
fn hlist_classifier<const CLASSES: usize, E: Float, Dev: Device>(
) -> Result<MobileNetV2Classifier<CLASSES, E, Dev>> {
    Ok(typed_torch::hlist![
        Dropout::default().p(0.2),
        Linear::init()?
    ])
}

impl<B: Dim, const CLASSES: usize, E: Float, Dev: Device> Module<Image<B, 3, E, Dev>>
    for MobileNetV2<CLASSES, E, Dev>
{
    type Output = Tensor<(B, D<CLASSES>), E, Dev>;

    fn forward(&self, x: Image<B, 3, E, Dev>) -> Self::Output {
        let h = self.features.forward(x);
        // torchvision pools with `adaptive_avg_pool2d(x, (1, 1))` and flattens.
        let pooled = h.mean::<3>().mean::<2>();
        self.classifier.forward(pooled)
    }
}
