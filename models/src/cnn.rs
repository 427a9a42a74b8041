//! A 20-layer CNN for `(N, 1, 28, 28)` digits: five convolutions (one grouped), two max-pools,
//! adaptive average pooling to 3x3, and a three-layer classifier with dropout.
//!
//! The same network is written two ways: [`CnnStack`], one HList of 20 layers, and [`Cnn`], a
//! struct with `features` and `classifier` stacks whose `state_dict` names match a PyTorch module
//! with those attributes (`features.0.weight`, ..., `classifier.6.bias`).
use typed_torch::nn::{
    AdaptiveAvgPool2d, Conv2d, Dropout, Flatten, Linear, MaxPool2d, Module, ReLU, Tanh,
};
use typed_torch::options::{Groups, Padding};
use typed_torch::{Cpu, Device, Dyn, Float, HList, Tensor, D};

/// The convolutional part: `(N, 1, 28, 28)` to `(N, 32, 3, 3)`.
pub type Features<E, Dev> = HList![
    Conv2d<1, 8, 3, Padding<1>, E, Dev>, ReLU,
    Conv2d<8, 8, 3, (Padding<1>, Groups<2>), E, Dev>, ReLU,
    MaxPool2d<2>,
    Conv2d<8, 16, 3, Padding<1>, E, Dev>, ReLU,
    Conv2d<16, 16, 3, Padding<1>, E, Dev>, ReLU,
    MaxPool2d<2>,
    Conv2d<16, 32, 3, Padding<1>, E, Dev>, ReLU,
    AdaptiveAvgPool2d<3, 3>
];

/// The classifier: `(N, 32, 3, 3)` to 10 logits.
pub type Classifier<E, Dev> = HList![
    Flatten,
    Linear<288, 64, (), E, Dev>, ReLU, Dropout,
    Linear<64, 32, (), E, Dev>, Tanh,
    Linear<32, 10, (), E, Dev>
];

/// The whole network as one 20-layer HList (names `0.weight` ... `19.bias`, like `nn.Sequential`):
/// the features followed by the classifier.
pub type CnnStack<E, Dev> = <Features<E, Dev> as core::ops::Add<Classifier<E, Dev>>>::Output;

/// The network as a struct whose fields run in order, generic over dtype and device.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Init, Module, Params, StaticParamCount};
/// use typed_torch::{Cpu, Tensor, D, Dyn};
/// use typed_torch_models::cnn::Cnn;
/// let mut net = Cnn::<f32, Cpu>::init().unwrap();
/// net.set_train(false);
/// let x = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_dyn(&[2]).unwrap();
/// let logits: Tensor<(Dyn, D<10>)> = net.forward(x);
/// assert_eq!(net.param_names()[0], "features.0.weight");
/// // The parameter count is a constant of the type (PyTorch counts the same 29,410).
/// const N: usize = <Cnn<f32, Cpu> as StaticParamCount>::PARAM_COUNT;
/// assert_eq!((N, net.param_count()), (29_410, 29_410));
/// ```
#[derive(Module)]
#[module(sequential)]
pub struct Cnn<E: Float, Dev: Device> {
    /// Convolutions and pooling.
    pub features: Features<E, Dev>,
    /// Flatten and fully connected layers.
    pub classifier: Classifier<E, Dev>,
}

/// Ten class scores per image.
pub type Logits = Tensor<(Dyn, D<10>)>;

/// The concrete f32 CPU network on a batch, with its 20-layer stack twin: spelled out so that
/// building this crate type-checks both models at concrete types.
pub fn logits_f32(
    net: &Cnn<f32, Cpu>,
    stack: &CnnStack<f32, Cpu>,
    x: Tensor<(Dyn, D<1>, D<28>, D<28>)>,
) -> (Logits, Logits) {
    (net.forward(x.clone()), stack.forward(x))
}
