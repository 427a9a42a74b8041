//! `Linear`: `y = x W^T + b`, with PyTorch's parameter names and initialisation.
use super::init::fan_in_uniform;
use super::Module;
use crate::device::{Cpu, Device};
use crate::dims::{Dim, D};
use crate::element::Float;
use crate::tensor::Tensor;

/// A fully connected layer from `I` to `O` features: `weight` is `(O, I)` and `bias` is `(O,)`,
/// as in `torch.nn.Linear(I, O)`. Takes `(B, D<I>)` or `(B, T, D<I>)` inputs.
///
/// ```
/// use typed_torch::nn::{Linear, Module};
/// use typed_torch::{Tensor, D, Dyn};
/// let layer = Linear::<4, 2>::new();
/// let y: Tensor<(Dyn, D<2>)> = layer.forward(Tensor::<(Dyn, D<4>)>::zeros_sized(&[3, 4]).unwrap());
/// ```
#[derive(Debug, Clone)]
pub struct Linear<const I: usize, const O: usize, E: Float = f32, Dev: Device = Cpu> {
    /// `(out_features, in_features)`.
    pub weight: Tensor<(D<O>, D<I>), E, Dev>,
    /// `(out_features,)`, absent for a layer built `without_bias`.
    pub bias: Option<Tensor<(D<O>,), E, Dev>>,
}

impl<const I: usize, const O: usize, E: Float> Linear<I, O, E, Cpu> {
    /// PyTorch's default initialisation: weight and bias uniform in `±1/sqrt(I)` (Kaiming-uniform
    /// with `a = sqrt(5)`), drawn from libtorch's generator (seed it with `tch::manual_seed`).
    pub fn new() -> Self {
        Linear {
            weight: fan_in_uniform(I),
            bias: Some(fan_in_uniform(I)),
        }
    }

    /// The same layer without a bias (`bias=False`).
    pub fn without_bias() -> Self {
        Linear {
            weight: fan_in_uniform(I),
            bias: None,
        }
    }
}

impl<const I: usize, const O: usize, E: Float> Default for Linear<I, O, E, Cpu> {
    fn default() -> Self {
        Self::new()
    }
}

impl<B: Dim, const I: usize, const O: usize, E: Float, Dev: Device>
    Module<Tensor<(B, D<I>), E, Dev>> for Linear<I, O, E, Dev>
{
    type Output = Tensor<(B, D<O>), E, Dev>;
    fn forward(&self, x: Tensor<(B, D<I>), E, Dev>) -> Self::Output {
        let bias = self.bias.as_ref().map(|b| b.as_tch());
        Tensor::wrap(x.as_tch().linear(self.weight.as_tch(), bias))
    }
}

impl<B: Dim, T: Dim, const I: usize, const O: usize, E: Float, Dev: Device>
    Module<Tensor<(B, T, D<I>), E, Dev>> for Linear<I, O, E, Dev>
{
    type Output = Tensor<(B, T, D<O>), E, Dev>;
    fn forward(&self, x: Tensor<(B, T, D<I>), E, Dev>) -> Self::Output {
        let bias = self.bias.as_ref().map(|b| b.as_tch());
        Tensor::wrap(x.as_tch().linear(self.weight.as_tch(), bias))
    }
}

weight_and_optional_bias!(Linear<I, O>);
