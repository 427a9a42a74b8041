//! `GroupNorm`.
use crate::device::{Cpu, Device};
use crate::dims::{Dim, DimDiv, D};
use crate::element::Float;
use crate::error::Result;
use crate::nn::module::module_via_layer_input;
use crate::nn::{init, Init, LayerInput, Optional};
use crate::options::{Count, NormOptions};
use crate::tensor::Tensor;

/// `torch.nn.GroupNorm(num_groups, C)`, the groups written by name (`GroupNorm<Groups<3>, 6>`):
/// they must divide `C` (compile time).
/// Option [`NoAffine`](crate::options::NoAffine) is `affine=False`.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{GroupNorm, Init, Module};
/// use typed_torch::{Tensor, D};
/// let y = GroupNorm::<Groups<3>, 6>::init().unwrap().forward(Tensor::<(D<2>, D<6>, D<4>, D<4>)>::randn());
/// assert_eq!(y.size(), vec![2, 6, 4, 4]);
/// ```
#[derive(Debug, Clone, crate::nn::Module)]
#[module(manual_init)]
pub struct GroupNorm<
    G: Count,
    const C: usize,
    Opts: NormOptions = (),
    E: Float = f32,
    Dev: Device = Cpu,
> where
    D<C>: DimDiv<G::Dim>,
{
    /// Scale per channel, ones at start (absent under `NoAffine`).
    pub weight: Optional<Opts::Affine, Tensor<(D<C>,), E, Dev>>,
    /// Shift per channel, zeros at start (absent under `NoAffine`).
    pub bias: Optional<Opts::Affine, Tensor<(D<C>,), E, Dev>>,
    /// Added to the variance (PyTorch's default 1e-5).
    #[module(skip)]
    pub eps: f64,
    #[module(skip)]
    groups: core::marker::PhantomData<G>,
}

/// PyTorch's initial state.
impl<G: Count, const C: usize, Opts: NormOptions, E: Float, Dev: Device> Init
    for GroupNorm<G, C, Opts, E, Dev>
where
    D<C>: DimDiv<G::Dim>,
{
    fn init() -> Result<Self> {
        Ok(GroupNorm {
            weight: Optional::make(init::ones)?,
            bias: Optional::make(init::zeros)?,
            eps: 1e-5,
            groups: core::marker::PhantomData,
        })
    }
}

impl<G: Count, const C: usize, Opts: NormOptions, E: Float, Dev: Device>
    GroupNorm<G, C, Opts, E, Dev>
where
    D<C>: DimDiv<G::Dim>,
{
    /// Sets `eps` (PyTorch's argument of that name).
    pub fn eps(mut self, eps: f64) -> Self {
        self.eps = eps;
        self
    }
}

// `(N, D<C>, *)` with at least one axis after the channels, like PyTorch's `nn.GroupNorm`.
macro_rules! group_norm_rank {
    ($rank:literal, $last:literal; $n:ident $c:ident $($a:ident)* | $z:ident) => {
        impl<$n: Dim, $($a: Dim,)* $z: Dim, G: Count, const C: usize, Opts: NormOptions, E: Float, Dev: Device>
            LayerInput<GroupNorm<G, C, Opts, E, Dev>> for Tensor<($n, D<C>, $($a,)* $z,), E, Dev>
        where
            D<C>: DimDiv<G::Dim>,
        {
            type Output = Self;
            fn run(layer: &GroupNorm<G, C, Opts, E, Dev>, x: Self) -> Self {
                let (w, b) = (layer.weight.get().map(|w| w.as_tch()), layer.bias.get().map(|b| b.as_tch()));
                Tensor::wrap(x.as_tch().group_norm(G::N as i64, w, b, layer.eps, false))
            }
        }
    };
    // Ranks 1 and 2: no axis after the channels.
    ($rank:literal, $last:literal; $($a:ident)? | $z:ident) => {};
}
crate::for_each_rank!(group_norm_rank);
module_via_layer_input!([G: Count, const C: usize, Opts: NormOptions, E: Float, Dev: Device] GroupNorm<G, C, Opts, E, Dev> where D<C>: DimDiv<G::Dim>);
