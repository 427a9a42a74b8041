//! The 784-300-100-10 multilayer perceptron from the README of Haskell's `backprop` library, for
//! `(N, 1, 28, 28)` digits.
use typed_torch::nn::{Flatten, Linear, Sigmoid};
use typed_torch::{hlist, HList};

/// The MLP with hidden activation `A` (`backprop`'s README uses the logistic function,
/// [`Sigmoid`]). `Flatten` turns `(N, 1, 28, 28)` digits into `(N, 784)` rows; 784 = 1 * 28 * 28
/// is checked by the compiler.
pub type Mlp<A = Sigmoid> =
    HList![Flatten, Linear<784, 300>, A, Linear<300, 100>, A, Linear<100, 10>];

/// The MLP with PyTorch's default initialisation (seed it with `tch::manual_seed`).
///
/// ```
/// use typed_torch::nn::{Module, Params, ReLU};
/// use typed_torch::{Tensor, Dyn, D};
/// let mlp = typed_torch_models::mlp::mlp::<ReLU>();
/// assert_eq!(mlp.param_count(), 784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10);
/// let logits: Tensor<(Dyn, D<10>)> =
///     mlp.forward(Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_dyn(&[2]).unwrap());
/// ```
pub fn mlp<A: Default>() -> Mlp<A> {
    hlist![
        Flatten,
        Linear::new(),
        A::default(),
        Linear::new(),
        A::default(),
        Linear::new()
    ]
}
