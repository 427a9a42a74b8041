//! A LeNet-5-style CNN (ReLU and max-pooling) for `(N, 1, 28, 28)` digits.
use typed_torch::nn::{Conv2d, Flatten, Linear, MaxPool2d, ReLU};
use typed_torch::options::Padding;
use typed_torch::HList;

/// Every size is computed by the compiler: 28 -(5x5, padding 2)-> 28 -(pool)-> 14 -(5x5)-> 10
/// -(pool)-> 5, and 16 * 5 * 5 = 400 features into the first Linear. Names match `nn.Sequential`
/// (`0.weight`, `3.weight`, `7.weight`...).
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Init, Module, Params, StaticParamCount};
/// use typed_torch::{Tensor, D};
/// use typed_torch_models::lenet::LeNet;
/// const PARAMS: usize = <LeNet as StaticParamCount>::PARAM_COUNT; // known to the compiler
/// let net = LeNet::init().unwrap();
/// assert_eq!(net.param_count(), 61_706);
/// assert_eq!(PARAMS, 61_706);
/// let logits: Tensor<(D<3>, D<10>)> = net.forward(Tensor::<(D<3>, D<1>, D<28>, D<28>)>::zeros());
/// ```
pub type LeNet = HList![
    Conv2d<1, 6, 5, Padding<2>>, ReLU, MaxPool2d<2>,
    Conv2d<6, 16, 5>, ReLU, MaxPool2d<2>,
    Flatten,
    Linear<400, 120>, ReLU,
    Linear<120, 84>, ReLU,
    Linear<84, 10>
];
