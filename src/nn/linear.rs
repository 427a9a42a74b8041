//! `Linear`: `y = x W^T + b`, with PyTorch's parameter names and initialisation.
use super::init::fan_in_uniform;
use super::module::module_via_layer_input;
use super::{Bias, BiasFlag, BiasSlot, LayerInput};
use crate::device::{Cpu, Device};
use crate::dims::{Dim, D};
use crate::element::Float;
use crate::tensor::Tensor;

/// A fully connected layer from `I` to `O` features: `weight` is `(O, I)` and `bias` is `(O,)`,
/// as in `torch.nn.Linear(I, O, bias=BIAS)`. Takes `(B, D<I>)` or `(B, T, D<I>)` inputs.
///
/// `BIAS` (default `true`) is PyTorch's `bias` argument. It comes last, so `Linear<784, 300>`
/// and `Linear<784, 300, f64>` have a bias; `Linear<784, 300, f32, Cpu, false>` is
/// `nn.Linear(784, 300, bias=False)`, whose `bias` field is `()`. The parameter count is thus
/// in the type ([`StaticParamCount`](super::StaticParamCount)).
///
/// ```
/// use typed_torch::nn::{Linear, Module, Params, StaticParamCount};
/// use typed_torch::{Tensor, D, Dyn};
/// let layer = Linear::<4, 2>::new();
/// let y: Tensor<(Dyn, D<2>)> = layer.forward(Tensor::<(Dyn, D<4>)>::zeros_sized(&[3, 4]).unwrap());
/// assert_eq!(Linear::<4, 2>::PARAM_COUNT, 4 * 2 + 2);
/// let no_bias = Linear::<4, 2, f32, typed_torch::Cpu, false>::new();
/// assert_eq!(no_bias.param_names(), ["weight"]);
/// ```
#[derive(Debug, Clone)]
pub struct Linear<
    const I: usize,
    const O: usize,
    E: Float = f32,
    Dev: Device = Cpu,
    const BIAS: bool = true,
> where
    Bias<BIAS>: BiasFlag,
{
    /// `(out_features, in_features)`.
    pub weight: Tensor<(D<O>, D<I>), E, Dev>,
    /// `(out_features,)`: the tensor when `BIAS`, `()` otherwise.
    pub bias: BiasSlot<BIAS, Tensor<(D<O>,), E, Dev>>,
}

impl<const I: usize, const O: usize, const BIAS: bool, E: Float> Linear<I, O, E, Cpu, BIAS>
where
    Bias<BIAS>: BiasFlag,
{
    /// PyTorch's default initialisation: weight and bias (if `BIAS`) uniform in `±1/sqrt(I)`
    /// (Kaiming-uniform with `a = sqrt(5)`), drawn from libtorch's generator (seed it with
    /// `tch::manual_seed`).
    pub fn new() -> Self {
        let weight = fan_in_uniform(I);
        Linear {
            weight,
            bias: <Bias<BIAS>>::make(|| fan_in_uniform(I)),
        }
    }
}

impl<const I: usize, const O: usize, const BIAS: bool, E: Float> Default
    for Linear<I, O, E, Cpu, BIAS>
where
    Bias<BIAS>: BiasFlag,
{
    fn default() -> Self {
        Self::new()
    }
}

impl<B: Dim, const I: usize, const O: usize, const BIAS: bool, E: Float, Dev: Device>
    LayerInput<Linear<I, O, E, Dev, BIAS>> for Tensor<(B, D<I>), E, Dev>
where
    Bias<BIAS>: BiasFlag,
{
    type Output = Tensor<(B, D<O>), E, Dev>;
    fn run(layer: &Linear<I, O, E, Dev, BIAS>, x: Self) -> Self::Output {
        let bias = <Bias<BIAS>>::get(&layer.bias).map(|b| b.as_tch());
        Tensor::wrap(x.as_tch().linear(layer.weight.as_tch(), bias))
    }
}

impl<B: Dim, T: Dim, const I: usize, const O: usize, const BIAS: bool, E: Float, Dev: Device>
    LayerInput<Linear<I, O, E, Dev, BIAS>> for Tensor<(B, T, D<I>), E, Dev>
where
    Bias<BIAS>: BiasFlag,
{
    type Output = Tensor<(B, T, D<O>), E, Dev>;
    fn run(layer: &Linear<I, O, E, Dev, BIAS>, x: Self) -> Self::Output {
        let bias = <Bias<BIAS>>::get(&layer.bias).map(|b| b.as_tch());
        Tensor::wrap(x.as_tch().linear(layer.weight.as_tch(), bias))
    }
}

module_via_layer_input!([const I: usize, const O: usize, E: Float, Dev: Device, const BIAS: bool] Linear<I, O, E, Dev, BIAS> where Bias<BIAS>: BiasFlag);

weight_and_optional_bias!(Linear<I, O>; O * I; O);
