//! torchvision's ResNets (He et al., 2016): `resnet18`, `resnet34` and `resnet50`, and a small
//! ResNet for 28x28 digits, with torchvision's `state_dict` names (`layer2.0.downsample.0.weight`)
//! and initialisation, so torchvision's weights load strictly.
//!
//! Channels are in the types: a block from 64 to 128 channels with stride 2 is
//! `BasicBlock<64, 128, 2, Downsample<64, 128, 2>>`, and a stage whose blocks do not chain does
//! not compile. Images are `(B, D<C>, Dyn, Dyn)`: ResNets take any height and width (the last
//! pooling is adaptive); the small ResNet also takes `(B, D<1>, D<28>, D<28>)` digits directly.
use typed_torch::dims::DimDiv;
use typed_torch::nn::{
    AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Identity, Init, Linear, MaxPool2d, Module, Params, ReLU,
};
use typed_torch::options::{NoBias, Padding, Stride};
use typed_torch::{Cpu, Device, Dim, Dyn, Float, HList, Result, Tensor, D};

/// A batch of `C`-channel images of any size.
pub type Image<B, const C: usize, E = f32, Dev = Cpu> = Tensor<(B, D<C>, Dyn, Dyn), E, Dev>;

/// torchvision's `conv3x3`: 3x3, padding 1, no bias.
pub type Conv3x3<const IN: usize, const OUT: usize, const S: usize, E, Dev> =
    Conv2d<IN, OUT, 3, (Stride<S>, Padding<1>, NoBias), E, Dev>;

/// torchvision's `conv1x1`: 1x1, no bias.
pub type Conv1x1<const IN: usize, const OUT: usize, const S: usize, E, Dev> =
    Conv2d<IN, OUT, 1, (Stride<S>, NoBias), E, Dev>;

/// The projection shortcut of a block that changes the channels or the size:
/// `nn.Sequential(conv1x1(IN, OUT, S), nn.BatchNorm2d(OUT))`.
pub type Downsample<const IN: usize, const OUT: usize, const S: usize, E = f32, Dev = Cpu> =
    HList![Conv1x1<IN, OUT, S, E, Dev>, BatchNorm2d<OUT, (), E, Dev>];

/// torchvision's `BasicBlock`: two 3x3 convolutions (the first with stride `S`) and batch norms,
/// added to the input (through `Down`, an [`Identity`] or a [`Downsample`]), then ReLU.
#[derive(Debug, Clone, typed_torch::nn::Module)]
pub struct BasicBlock<
    const IN: usize,
    const OUT: usize,
    const S: usize,
    Down = Identity,
    E: Float = f32,
    Dev: Device = Cpu,
> where
    D<IN>: DimDiv<D<1>>,
    D<OUT>: DimDiv<D<1>>,
{
    /// 3x3 from `IN` to `OUT` channels, stride `S`.
    pub conv1: Conv3x3<IN, OUT, S, E, Dev>,
    /// Batch norm after `conv1`.
    pub bn1: BatchNorm2d<OUT, (), E, Dev>,
    /// The ReLU, used twice.
    pub relu: ReLU,
    /// 3x3 from `OUT` to `OUT`.
    pub conv2: Conv3x3<OUT, OUT, 1, E, Dev>,
    /// Batch norm after `conv2`.
    pub bn2: BatchNorm2d<OUT, (), E, Dev>,
    /// The shortcut.
    pub downsample: Down,
}

impl<B, const IN: usize, const OUT: usize, const S: usize, Down, E, Dev>
    Module<Image<B, IN, E, Dev>> for BasicBlock<IN, OUT, S, Down, E, Dev>
where
    B: Dim,
    E: Float,
    Dev: Device,
    Down: Module<Image<B, IN, E, Dev>, Output = Image<B, OUT, E, Dev>>,
    D<IN>: DimDiv<D<1>>,
    D<OUT>: DimDiv<D<1>>,
    Conv3x3<IN, OUT, S, E, Dev>: Module<Image<B, IN, E, Dev>, Output = Image<B, OUT, E, Dev>>,
    Conv3x3<OUT, OUT, 1, E, Dev>: Module<Image<B, OUT, E, Dev>, Output = Image<B, OUT, E, Dev>>,
    BatchNorm2d<OUT, (), E, Dev>: Module<Image<B, OUT, E, Dev>, Output = Image<B, OUT, E, Dev>>,
{
    type Output = Image<B, OUT, E, Dev>;

    fn forward(&self, x: Image<B, IN, E, Dev>) -> Self::Output {
        let shortcut = self.downsample.forward(x.clone());
        let h = self.relu.forward(self.bn1.forward(self.conv1.forward(x)));
        let h = self.bn2.forward(self.conv2.forward(h));
        self.relu.forward(h + shortcut)
    }
}

/// torchvision's `Bottleneck` (ResNet v1.5, stride in the 3x3): 1x1 from `IN` to `WIDTH`, 3x3
/// `WIDTH` with stride `S`, 1x1 to `OUT` (4 x `WIDTH`), each with batch norm, added to the
/// shortcut, then ReLU.
#[derive(Debug, Clone, typed_torch::nn::Module)]
pub struct Bottleneck<
    const IN: usize,
    const WIDTH: usize,
    const OUT: usize,
    const S: usize,
    Down = Identity,
    E: Float = f32,
    Dev: Device = Cpu,
> where
    D<IN>: DimDiv<D<1>>,
    D<WIDTH>: DimDiv<D<1>>,
{
    /// 1x1 from `IN` to `WIDTH`.
    pub conv1: Conv1x1<IN, WIDTH, 1, E, Dev>,
    /// Batch norm after `conv1`.
    pub bn1: BatchNorm2d<WIDTH, (), E, Dev>,
    /// 3x3 `WIDTH` to `WIDTH`, stride `S`.
    pub conv2: Conv3x3<WIDTH, WIDTH, S, E, Dev>,
    /// Batch norm after `conv2`.
    pub bn2: BatchNorm2d<WIDTH, (), E, Dev>,
    /// 1x1 from `WIDTH` to `OUT`.
    pub conv3: Conv1x1<WIDTH, OUT, 1, E, Dev>,
    /// Batch norm after `conv3`.
    pub bn3: BatchNorm2d<OUT, (), E, Dev>,
    /// The ReLU, used three times.
    pub relu: ReLU,
    /// The shortcut.
    pub downsample: Down,
}

impl<B, const IN: usize, const WIDTH: usize, const OUT: usize, const S: usize, Down, E, Dev>
    Module<Image<B, IN, E, Dev>> for Bottleneck<IN, WIDTH, OUT, S, Down, E, Dev>
where
    B: Dim,
    E: Float,
    Dev: Device,
    Down: Module<Image<B, IN, E, Dev>, Output = Image<B, OUT, E, Dev>>,
    D<IN>: DimDiv<D<1>>,
    D<WIDTH>: DimDiv<D<1>>,
    Conv1x1<IN, WIDTH, 1, E, Dev>: Module<Image<B, IN, E, Dev>, Output = Image<B, WIDTH, E, Dev>>,
    Conv3x3<WIDTH, WIDTH, S, E, Dev>:
        Module<Image<B, WIDTH, E, Dev>, Output = Image<B, WIDTH, E, Dev>>,
    Conv1x1<WIDTH, OUT, 1, E, Dev>: Module<Image<B, WIDTH, E, Dev>, Output = Image<B, OUT, E, Dev>>,
    BatchNorm2d<WIDTH, (), E, Dev>:
        Module<Image<B, WIDTH, E, Dev>, Output = Image<B, WIDTH, E, Dev>>,
    BatchNorm2d<OUT, (), E, Dev>: Module<Image<B, OUT, E, Dev>, Output = Image<B, OUT, E, Dev>>,
{
    type Output = Image<B, OUT, E, Dev>;

    fn forward(&self, x: Image<B, IN, E, Dev>) -> Self::Output {
        let shortcut = self.downsample.forward(x.clone());
        let h = self.relu.forward(self.bn1.forward(self.conv1.forward(x)));
        let h = self.relu.forward(self.bn2.forward(self.conv2.forward(h)));
        let h = self.bn3.forward(self.conv3.forward(h));
        self.relu.forward(h + shortcut)
    }
}

/// A ResNet for ImageNet-sized images: the stem (7x7 stride 2, batch norm, ReLU, 3x3 max-pool
/// stride 2), four stages `L1`..`L4` (HLists of blocks, named `layer1.0`, `layer1.1`...), global
/// average pooling and a linear classifier from `FEATURES` to `CLASSES`.
#[derive(Debug, Clone, typed_torch::nn::Module)]
#[module(manual_init)]
pub struct ResNet<
    L1,
    L2,
    L3,
    L4,
    const FEATURES: usize,
    const CLASSES: usize,
    E: Float = f32,
    Dev: Device = Cpu,
> {
    /// The 7x7 stem convolution, 3 to 64 channels, stride 2.
    pub conv1: Conv2d<3, 64, 7, (Stride<2>, Padding<3>, NoBias), E, Dev>,
    /// Batch norm after the stem.
    pub bn1: BatchNorm2d<64, (), E, Dev>,
    /// ReLU after the stem.
    pub relu: ReLU,
    /// 3x3 max-pooling, stride 2, padding 1.
    pub maxpool: MaxPool2d<3, (Stride<2>, Padding<1>)>,
    /// Stage 1 (64 channels in).
    pub layer1: L1,
    /// Stage 2.
    pub layer2: L2,
    /// Stage 3.
    pub layer3: L3,
    /// Stage 4 (`FEATURES` channels out).
    pub layer4: L4,
    /// Global average pooling.
    pub avgpool: AdaptiveAvgPool2d<1, 1>,
    /// The classifier.
    pub fc: Linear<FEATURES, CLASSES, (), E, Dev>,
}

impl<L1, L2, L3, L4, const FEATURES: usize, const CLASSES: usize, E, Dev> Init
    for ResNet<L1, L2, L3, L4, FEATURES, CLASSES, E, Dev>
where
    L1: Init,
    L2: Init,
    L3: Init,
    L4: Init,
    E: Float,
    Dev: Device,
    Self: Params,
{
    fn init() -> Result<Self> {
        let mut model = ResNet {
            conv1: Init::init()?,
            bn1: Init::init()?,
            relu: ReLU,
            maxpool: MaxPool2d::default(),
            layer1: L1::init()?,
            layer2: L2::init()?,
            layer3: L3::init()?,
            layer4: L4::init()?,
            avgpool: AdaptiveAvgPool2d,
            fc: Init::init()?,
        };
        super::torchvision_init(&mut model, None);
        Ok(model)
    }
}

impl<B, L1, L2, L3, L4, const FEATURES: usize, const CLASSES: usize, E, Dev>
    Module<Image<B, 3, E, Dev>> for ResNet<L1, L2, L3, L4, FEATURES, CLASSES, E, Dev>
where
    B: Dim,
    E: Float,
    Dev: Device,
    L1: Module<Image<B, 64, E, Dev>>,
    L2: Module<L1::Output>,
    L3: Module<L2::Output>,
    L4: Module<L3::Output, Output = Image<B, FEATURES, E, Dev>>,
{
    type Output = Tensor<(B, D<CLASSES>), E, Dev>;

    fn forward(&self, x: Image<B, 3, E, Dev>) -> Self::Output {
        self.head(self.features(x))
    }
}

impl<L1, L2, L3, L4, const FEATURES: usize, const CLASSES: usize, E: Float, Dev: Device>
    ResNet<L1, L2, L3, L4, FEATURES, CLASSES, E, Dev>
{
    /// The stem and the four stages: `layer4`'s feature maps, where Grad-CAM looks
    /// ([`typed_torch::interpret::grad_cam`]).
    pub fn features<B: Dim>(&self, x: Image<B, 3, E, Dev>) -> Image<B, FEATURES, E, Dev>
    where
        L1: Module<Image<B, 64, E, Dev>>,
        L2: Module<L1::Output>,
        L3: Module<L2::Output>,
        L4: Module<L3::Output, Output = Image<B, FEATURES, E, Dev>>,
    {
        let h = self.relu.forward(self.bn1.forward(self.conv1.forward(x)));
        let h = self.maxpool.forward(h);
        self.layer4.forward(
            self.layer3
                .forward(self.layer2.forward(self.layer1.forward(h))),
        )
    }

    /// Global average pooling and the classifier: the scores from [`features`](Self::features).
    pub fn head<B: Dim>(&self, h: Image<B, FEATURES, E, Dev>) -> Tensor<(B, D<CLASSES>), E, Dev> {
        let pooled = self.avgpool.forward(h).squeeze::<3>().squeeze::<2>();
        self.fc.forward(pooled)
    }
}

type Block<const IN: usize, const OUT: usize, E, Dev> = BasicBlock<IN, OUT, 1, Identity, E, Dev>;
type DownBlock<const IN: usize, const OUT: usize, E, Dev> =
    BasicBlock<IN, OUT, 2, Downsample<IN, OUT, 2, E, Dev>, E, Dev>;

/// torchvision's `resnet18`: two basic blocks per stage, 11.7 million parameters.
pub type ResNet18<const CLASSES: usize = 1000, E = f32, Dev = Cpu> = ResNet<
    HList![Block<64, 64, E, Dev>, Block<64, 64, E, Dev>],
    HList![DownBlock<64, 128, E, Dev>, Block<128, 128, E, Dev>],
    HList![DownBlock<128, 256, E, Dev>, Block<256, 256, E, Dev>],
    HList![DownBlock<256, 512, E, Dev>, Block<512, 512, E, Dev>],
    512,
    CLASSES,
    E,
    Dev,
>;

/// torchvision's `resnet34`: 3, 4, 6 and 3 basic blocks, 21.8 million parameters.
pub type ResNet34<const CLASSES: usize = 1000, E = f32, Dev = Cpu> = ResNet<
    HList![Block<64, 64, E, Dev>, Block<64, 64, E, Dev>, Block<64, 64, E, Dev>],
    HList![
        DownBlock<64, 128, E, Dev>,
        Block<128, 128, E, Dev>,
        Block<128, 128, E, Dev>,
        Block<128, 128, E, Dev>
    ],
    HList![
        DownBlock<128, 256, E, Dev>,
        Block<256, 256, E, Dev>,
        Block<256, 256, E, Dev>,
        Block<256, 256, E, Dev>,
        Block<256, 256, E, Dev>,
        Block<256, 256, E, Dev>
    ],
    HList![DownBlock<256, 512, E, Dev>, Block<512, 512, E, Dev>, Block<512, 512, E, Dev>],
    512,
    CLASSES,
    E,
    Dev,
>;

type Neck<const IN: usize, const W: usize, const OUT: usize, E, Dev> =
    Bottleneck<IN, W, OUT, 1, Identity, E, Dev>;
type DownNeck<const IN: usize, const W: usize, const OUT: usize, const S: usize, E, Dev> =
    Bottleneck<IN, W, OUT, S, Downsample<IN, OUT, S, E, Dev>, E, Dev>;

/// torchvision's `resnet50`: 3, 4, 6 and 3 bottleneck blocks, 25.6 million parameters.
pub type ResNet50<const CLASSES: usize = 1000, E = f32, Dev = Cpu> = ResNet<
    HList![
        DownNeck<64, 64, 256, 1, E, Dev>,
        Neck<256, 64, 256, E, Dev>,
        Neck<256, 64, 256, E, Dev>
    ],
    HList![
        DownNeck<256, 128, 512, 2, E, Dev>,
        Neck<512, 128, 512, E, Dev>,
        Neck<512, 128, 512, E, Dev>,
        Neck<512, 128, 512, E, Dev>
    ],
    HList![
        DownNeck<512, 256, 1024, 2, E, Dev>,
        Neck<1024, 256, 1024, E, Dev>,
        Neck<1024, 256, 1024, E, Dev>,
        Neck<1024, 256, 1024, E, Dev>,
        Neck<1024, 256, 1024, E, Dev>,
        Neck<1024, 256, 1024, E, Dev>
    ],
    HList![
        DownNeck<1024, 512, 2048, 2, E, Dev>,
        Neck<2048, 512, 2048, E, Dev>,
        Neck<2048, 512, 2048, E, Dev>
    ],
    2048,
    CLASSES,
    E,
    Dev,
>;

/// A stage of two blocks (`layerN.0`, `layerN.1`).
pub type Stage<First, Second> = HList![First, Second];

/// A small ResNet for 28x28 grey digits: a 3x3 stem to 16 channels, three stages of two basic
/// blocks (16, 32 and 64 channels; the last two halve the size), global average pooling and a
/// linear classifier; 0.17 million parameters. The same blocks, names and initialisation as
/// [`ResNet18`], sized for MNIST (the `resnet_mnist` example).
///
/// ```
/// use typed_torch::nn::{Init, Module};
/// use typed_torch::{Tensor, D};
/// use typed_torch_models::vision::resnet::SmallResNet;
/// let net = SmallResNet::<10>::init().unwrap();
/// let logits: Tensor<(D<2>, D<10>)> = net.forward(Tensor::<(D<2>, D<1>, D<28>, D<28>)>::zeros());
/// ```
#[derive(Debug, Clone, typed_torch::nn::Module)]
#[module(manual_init)]
pub struct SmallResNet<const CLASSES: usize = 10, E: Float = f32, Dev: Device = Cpu> {
    /// 3x3 from 1 to 16 channels.
    pub conv1: Conv3x3<1, 16, 1, E, Dev>,
    /// Batch norm after the stem.
    pub bn1: BatchNorm2d<16, (), E, Dev>,
    /// ReLU after the stem.
    pub relu: ReLU,
    /// 16 channels at 28 x 28.
    pub layer1: Stage<Block<16, 16, E, Dev>, Block<16, 16, E, Dev>>,
    /// 32 channels at 14 x 14.
    pub layer2: Stage<DownBlock<16, 32, E, Dev>, Block<32, 32, E, Dev>>,
    /// 64 channels at 7 x 7.
    pub layer3: Stage<DownBlock<32, 64, E, Dev>, Block<64, 64, E, Dev>>,
    /// Global average pooling.
    pub avgpool: AdaptiveAvgPool2d<1, 1>,
    /// The classifier.
    pub fc: Linear<64, CLASSES, (), E, Dev>,
}

impl<const CLASSES: usize, E: Float, Dev: Device> Init for SmallResNet<CLASSES, E, Dev> {
    /// As torchvision initialises a ResNet.
    fn init() -> Result<Self> {
        let mut model = SmallResNet {
            conv1: Init::init()?,
            bn1: Init::init()?,
            relu: ReLU,
            layer1: Init::init()?,
            layer2: Init::init()?,
            layer3: Init::init()?,
            avgpool: AdaptiveAvgPool2d,
            fc: Init::init()?,
        };
        super::torchvision_init(&mut model, None);
        Ok(model)
    }
}

impl<B: Dim, const CLASSES: usize, E: Float, Dev: Device> Module<Image<B, 1, E, Dev>>
    for SmallResNet<CLASSES, E, Dev>
{
    type Output = Tensor<(B, D<CLASSES>), E, Dev>;

    fn forward(&self, x: Image<B, 1, E, Dev>) -> Self::Output {
        self.head(self.features(x))
    }
}

impl<const CLASSES: usize, E: Float, Dev: Device> SmallResNet<CLASSES, E, Dev> {
    /// The stem and the three stages: `layer3`'s 64 feature maps (Grad-CAM's stage).
    pub fn features<B: Dim>(&self, x: Image<B, 1, E, Dev>) -> Image<B, 64, E, Dev> {
        let h = self.relu.forward(self.bn1.forward(self.conv1.forward(x)));
        self.layer3
            .forward(self.layer2.forward(self.layer1.forward(h)))
    }

    /// Global average pooling and the classifier.
    pub fn head<B: Dim>(&self, h: Image<B, 64, E, Dev>) -> Tensor<(B, D<CLASSES>), E, Dev> {
        let pooled = self.avgpool.forward(h).squeeze::<3>().squeeze::<2>();
        self.fc.forward(pooled)
    }
}

/// MNIST's digits as they come, `(B, D<1>, D<28>, D<28>)`.
impl<B: Dim, const CLASSES: usize, E: Float, Dev: Device>
    Module<Tensor<(B, D<1>, D<28>, D<28>), E, Dev>> for SmallResNet<CLASSES, E, Dev>
{
    type Output = Tensor<(B, D<CLASSES>), E, Dev>;

    fn forward(&self, x: Tensor<(B, D<1>, D<28>, D<28>), E, Dev>) -> Self::Output {
        let image: Image<B, 1, E, Dev> = x
            .to_shape()
            .expect("28 x 28 images fit (B, D<1>, Dyn, Dyn)");
        self.forward(image)
    }
}
