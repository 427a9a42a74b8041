//! The 784-300-100-10 multilayer perceptron from the README of Haskell's `backprop` library, for
//! `(N, 1, 28, 28)` digits.
use typed_torch::nn::{Flatten, Linear, Sigmoid};
use typed_torch::{Cpu, HList};

/// The MLP with hidden activation `A` (`backprop`'s README uses the logistic function,
/// [`Sigmoid`]) on device `Dev`. `Flatten` turns `(N, 1, 28, 28)` digits into `(N, 784)` rows;
/// 784 = 1 * 28 * 28 is checked by the compiler.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Init, Module, Params, ReLU};
/// use typed_torch::{Tensor, Dyn, D};
/// use typed_torch_models::mlp::Mlp;
/// let mlp = Mlp::<ReLU>::init().unwrap(); // PyTorch's initialisation (seed with tch::manual_seed)
/// assert_eq!(mlp.param_count(), 784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10);
/// let logits: Tensor<(Dyn, D<10>)> =
///     mlp.forward(Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_dyn(&[2]).unwrap());
/// ```
pub type Mlp<A = Sigmoid, Dev = Cpu> = HList![
    Flatten,
    Linear<784, 300, (), f32, Dev>, A,
    Linear<300, 100, (), f32, Dev>, A,
    Linear<100, 10, (), f32, Dev>
];
