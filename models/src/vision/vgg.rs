//! torchvision's `vgg11_bn` (Simonyan and Zisserman, 2015, configuration "A" with batch norm):
//! eight 3x3 convolutions with batch norm and ReLU, five max-pools, a 7x7 adaptive average pool
//! and a three-layer classifier with dropout, named as torchvision's (`features.0.weight`,
//! `classifier.6.weight`).
use typed_torch::nn::{
    AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Dropout, Init, Linear, MaxPool2d, Module, ReLU,
};
use typed_torch::options::Padding;
use typed_torch::{Cpu, Device, Dim, Float, HList, Result, Tensor, D};

use super::resnet::Image;

type Conv<const IN: usize, const OUT: usize, E, Dev> = Conv2d<IN, OUT, 3, Padding<1>, E, Dev>;
type Bn<const C: usize, E, Dev> = BatchNorm2d<C, (), E, Dev>;

/// `features` of configuration "A" with batch norm: `[64, M, 128, M, 256, 256, M, 512, 512, M,
/// 512, 512, M]`, one flat `nn.Sequential` of 29 layers.
pub type Vgg11BnFeatures<E = f32, Dev = Cpu> = HList![
    Conv<3, 64, E, Dev>, Bn<64, E, Dev>, ReLU, MaxPool2d<2>,
    Conv<64, 128, E, Dev>, Bn<128, E, Dev>, ReLU, MaxPool2d<2>,
    Conv<128, 256, E, Dev>, Bn<256, E, Dev>, ReLU,
    Conv<256, 256, E, Dev>, Bn<256, E, Dev>, ReLU, MaxPool2d<2>,
    Conv<256, 512, E, Dev>, Bn<512, E, Dev>, ReLU,
    Conv<512, 512, E, Dev>, Bn<512, E, Dev>, ReLU, MaxPool2d<2>,
    Conv<512, 512, E, Dev>, Bn<512, E, Dev>, ReLU,
    Conv<512, 512, E, Dev>, Bn<512, E, Dev>, ReLU, MaxPool2d<2>
];

/// The classifier: 25,088 (512 x 7 x 7) to 4,096 to 4,096 to `CLASSES`, ReLU and dropout (0.5)
/// between.
pub type Vgg11BnClassifier<const CLASSES: usize, E = f32, Dev = Cpu> = HList![
    Linear<25088, 4096, (), E, Dev>, ReLU, Dropout,
    Linear<4096, 4096, (), E, Dev>, ReLU, Dropout,
    Linear<4096, CLASSES, (), E, Dev>
];

/// torchvision's `vgg11_bn`: 132.9 million parameters (most in the classifier's first layer).
#[derive(Debug, Clone, typed_torch::nn::Module)]
#[module(manual_init)]
pub struct Vgg11Bn<const CLASSES: usize = 1000, E: Float = f32, Dev: Device = Cpu> {
    /// The convolutional layers.
    pub features: Vgg11BnFeatures<E, Dev>,
    /// Average pooling to 7 x 7, whatever the image size.
    pub avgpool: AdaptiveAvgPool2d<7, 7>,
    /// The classifier.
    pub classifier: Vgg11BnClassifier<CLASSES, E, Dev>,
}

impl<const CLASSES: usize, E: Float, Dev: Device> Init for Vgg11Bn<CLASSES, E, Dev> {
    /// torchvision's initialisation: convolutions Kaiming-normal (`fan_out`, ReLU) with zero
    /// biases, batch norms at 1 and 0, linear layers normal with standard deviation 0.01 and zero
    /// biases.
    fn init() -> Result<Self> {
        let mut model = Vgg11Bn {
            features: Init::init()?,
            avgpool: AdaptiveAvgPool2d,
            classifier: Init::init()?,
        };
        super::torchvision_init(&mut model, Some(0.01));
        Ok(model)
    }
}

impl<B: Dim, const CLASSES: usize, E: Float, Dev: Device> Module<Image<B, 3, E, Dev>>
    for Vgg11Bn<CLASSES, E, Dev>
{
    type Output = Tensor<(B, D<CLASSES>), E, Dev>;

    fn forward(&self, x: Image<B, 3, E, Dev>) -> Self::Output {
        let h = self.avgpool.forward(self.features.forward(x));
        self.classifier.forward(h.flatten::<1, 3>())
    }
}
