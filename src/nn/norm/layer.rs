//! `LayerNorm` over the last dim.
use crate::device::{Cpu, Device};
use crate::dims::{Dim, D};
use crate::element::Float;
use crate::error::Result;
use crate::nn::module::module_via_layer_input;
use crate::nn::{init, Init, LayerInput, Optional};
use crate::options::NormOptions;
use crate::tensor::Tensor;

/// `torch.nn.LayerNorm(F)`: normalises over the last dim, which must be `D<F>`. Option
/// [`NoAffine`](crate::options::NoAffine) is `elementwise_affine=False`.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Init, LayerNorm, Module};
/// use typed_torch::{Tensor, D};
/// let norm = LayerNorm::<8>::init().unwrap().eps(1e-6);
/// let y = norm.forward(Tensor::<(D<2>, D<5>, D<8>)>::randn());
/// assert_eq!(y.size(), vec![2, 5, 8]);
/// ```
#[derive(Debug, Clone, crate::nn::Module)]
#[module(manual_init)]
pub struct LayerNorm<const F: usize, Opts: NormOptions = (), E: Float = f32, Dev: Device = Cpu> {
    /// Scale, ones at start (absent under `NoAffine`).
    pub weight: Optional<Opts::Affine, Tensor<(D<F>,), E, Dev>>,
    /// Shift, zeros at start (absent under `NoAffine`).
    pub bias: Optional<Opts::Affine, Tensor<(D<F>,), E, Dev>>,
    /// Added to the variance (PyTorch's default 1e-5).
    #[module(skip)]
    pub eps: f64,
}

/// PyTorch's initial state.
impl<const F: usize, Opts: NormOptions, E: Float, Dev: Device> Init for LayerNorm<F, Opts, E, Dev> {
    fn init() -> Result<Self> {
        Ok(LayerNorm {
            weight: Optional::make(init::ones)?,
            bias: Optional::make(init::zeros)?,
            eps: 1e-5,
        })
    }
}

impl<const F: usize, Opts: NormOptions, E: Float, Dev: Device> LayerNorm<F, Opts, E, Dev> {
    /// Sets `eps` (PyTorch's argument of that name).
    pub fn eps(mut self, eps: f64) -> Self {
        self.eps = eps;
        self
    }
}

// Any rank, normalizing over the last axis (the input's last dim replaced by `D<F>`).
macro_rules! layer_norm_rank {
    ($rank:literal, $last:literal; $($a:ident)* | $z:ident) => {
        impl<$($a: Dim,)* const F: usize, Opts: NormOptions, E: Float, Dev: Device> LayerInput<LayerNorm<F, Opts, E, Dev>>
            for Tensor<($($a,)* D<F>,), E, Dev>
        {
            type Output = Self;
            fn run(layer: &LayerNorm<F, Opts, E, Dev>, x: Self) -> Self {
                let (w, b) = (layer.weight.get().map(|w| w.as_tch()), layer.bias.get().map(|b| b.as_tch()));
                Tensor::wrap(x.as_tch().layer_norm([F as i64], w, b, layer.eps, false))
            }
        }
    };
}
crate::for_each_rank!(layer_norm_rank);
module_via_layer_input!([const F: usize, Opts: NormOptions, E: Float, Dev: Device] LayerNorm<F, Opts, E, Dev>);
