//! `Linear`: `y = x W^T + b`, with PyTorch's parameter names and initialisation.
use super::init::fan_in_uniform;
use super::module::module_via_layer_input;
use super::{Init, LayerInput, Optional};
use crate::device::{Cpu, Device};
use crate::dims::{Dim, D};
use crate::element::Float;
use crate::error::Result;
use crate::options::{LinearOptions, Presence};
use crate::tensor::Tensor;

/// A fully connected layer from `I` to `O` features, `torch.nn.Linear(I, O)`: `weight` is `(O, I)`
/// and `bias` is `(O,)`. Takes `(B, D<I>)` or `(B, T, D<I>)` inputs.
///
/// Options (after the sizes): [`NoBias`](crate::options::NoBias) for `bias=False`, whose `bias`
/// holds nothing; the parameter count is in the type either way.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Init, Linear, Module, Params, StaticParamCount};
/// use typed_torch::options::NoBias;
/// use typed_torch::{Tensor, D, Dyn};
/// let layer = Linear::<4, 2>::init().unwrap();
/// let y: Tensor<(Dyn, D<2>)> = layer.forward(Tensor::<(Dyn, D<4>)>::zeros_dyn(&[3]).unwrap());
/// assert_eq!(Linear::<4, 2>::PARAM_COUNT, 4 * 2 + 2);
/// let no_bias = Linear::<4, 2, NoBias>::init().unwrap();
/// assert_eq!(no_bias.param_names(), ["weight"]);
/// ```
#[derive(Debug, Clone, super::Module)]
#[module(manual_init)]
pub struct Linear<
    const I: usize,
    const O: usize,
    Opts: LinearOptions = (),
    E: Float = f32,
    Dev: Device = Cpu,
> {
    /// `(out_features, in_features)`.
    pub weight: Tensor<(D<O>, D<I>), E, Dev>,
    /// `(out_features,)`, unless [`NoBias`](crate::options::NoBias).
    pub bias: Optional<Opts::Bias, Tensor<(D<O>,), E, Dev>>,
}

/// PyTorch's initialisation: weight and bias uniform in `±1/sqrt(I)` (Kaiming-uniform with
/// `a = sqrt(5)`).
impl<const I: usize, const O: usize, Opts: LinearOptions, E: Float, Dev: Device> Init
    for Linear<I, O, Opts, E, Dev>
{
    fn init() -> Result<Self> {
        Ok(Linear {
            weight: fan_in_uniform(I)?,
            bias: Optional::make(|| fan_in_uniform(I))?,
        })
    }
}

impl<const I: usize, const O: usize, Opts: LinearOptions, E: Float, Dev: Device>
    Linear<I, O, Opts, E, Dev>
{
    fn apply(&self, x: &tch::Tensor) -> tch::Tensor {
        let bias = self.bias.get().map(|b| b.as_tch());
        debug_assert_eq!(bias.is_some(), <Opts::Bias as Presence>::PRESENT);
        x.linear(self.weight.as_tch(), bias)
    }
}

impl<B: Dim, const I: usize, const O: usize, Opts: LinearOptions, E: Float, Dev: Device>
    LayerInput<Linear<I, O, Opts, E, Dev>> for Tensor<(B, D<I>), E, Dev>
{
    type Output = Tensor<(B, D<O>), E, Dev>;
    fn run(layer: &Linear<I, O, Opts, E, Dev>, x: Self) -> Self::Output {
        Tensor::wrap(layer.apply(x.as_tch()))
    }
}

impl<
        B: Dim,
        T: Dim,
        const I: usize,
        const O: usize,
        Opts: LinearOptions,
        E: Float,
        Dev: Device,
    > LayerInput<Linear<I, O, Opts, E, Dev>> for Tensor<(B, T, D<I>), E, Dev>
{
    type Output = Tensor<(B, T, D<O>), E, Dev>;
    fn run(layer: &Linear<I, O, Opts, E, Dev>, x: Self) -> Self::Output {
        Tensor::wrap(layer.apply(x.as_tch()))
    }
}

module_via_layer_input!([const I: usize, const O: usize, Opts: LinearOptions, E: Float, Dev: Device] Linear<I, O, Opts, E, Dev>);
