//! Convolution layers: `Conv1d`, `Conv2d`, `ConvTranspose2d`, with PyTorch's parameter names,
//! shapes and default initialisation. Hyper-parameters are const generics; output sizes are
//! computed at compile time by the functional ops.
use super::init::fan_in_uniform;
use super::module::module_via_layer_input;
use super::{Bias, BiasFlag, BiasSlot, LayerInput};
use crate::device::{Cpu, Device};
use crate::dims::{ConvDim, ConvTransposeDim, Dim, DimDiv, DimMul, GroupedChannels, D};
use crate::element::Float;
use crate::tensor::Tensor;

type PerGroup<const C: usize, const G: usize> = <D<C> as DimDiv<D<G>>>::Output;

/// `torch.nn.Conv2d(IN, OUT, K, stride=S, padding=P, dilation=L, groups=G, bias=BIAS)`: weight
/// `(OUT, IN/G, K, K)`, bias `(OUT,)` (`()` for `BIAS = false`); takes `(N, D<IN>, H, W)`.
///
/// ```
/// use typed_torch::nn::{Conv2d, Module};
/// use typed_torch::{Tensor, D, Dyn};
/// let conv = Conv2d::<1, 6, 5, 1, 2>::new();
/// let x = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_sized(&[4, 1, 28, 28]).unwrap();
/// let y: Tensor<(Dyn, D<6>, D<28>, D<28>)> = conv.forward(x);
/// // `bias=False` comes after `groups`, as in PyTorch's argument list:
/// let no_bias = Conv2d::<1, 6, 5, 1, 2, 1, 1, f32, typed_torch::Cpu, false>::new();
/// ```
#[derive(Debug, Clone)]
pub struct Conv2d<
    const IN: usize,
    const OUT: usize,
    const K: usize,
    const S: usize = 1,
    const P: usize = 0,
    const L: usize = 1,
    const G: usize = 1,
    E: Float = f32,
    Dev: Device = Cpu,
    const BIAS: bool = true,
> where
    D<IN>: DimDiv<D<G>>,
    Bias<BIAS>: BiasFlag,
{
    /// `(OUT, IN/G, K, K)`.
    pub weight: Tensor<(D<OUT>, PerGroup<IN, G>, D<K>, D<K>), E, Dev>,
    /// `(OUT,)`: the tensor when `BIAS`, `()` otherwise.
    pub bias: BiasSlot<BIAS, Tensor<(D<OUT>,), E, Dev>>,
}

impl<
        const IN: usize,
        const OUT: usize,
        const K: usize,
        const S: usize,
        const P: usize,
        const L: usize,
        const G: usize,
        const BIAS: bool,
        E: Float,
    > Conv2d<IN, OUT, K, S, P, L, G, E, Cpu, BIAS>
where
    D<IN>: DimDiv<D<G>>,
    Bias<BIAS>: BiasFlag,
{
    /// PyTorch's default initialisation, with a bias if `BIAS` (seed with `tch::manual_seed`).
    pub fn new() -> Self {
        let fan_in = IN / G.max(1) * K * K;
        let weight = fan_in_uniform(fan_in);
        Conv2d {
            weight,
            bias: <Bias<BIAS>>::make(|| fan_in_uniform(fan_in)),
        }
    }
}

impl<
        const IN: usize,
        const OUT: usize,
        const K: usize,
        const S: usize,
        const P: usize,
        const L: usize,
        const G: usize,
        const BIAS: bool,
        E: Float,
    > Default for Conv2d<IN, OUT, K, S, P, L, G, E, Cpu, BIAS>
where
    D<IN>: DimDiv<D<G>>,
    Bias<BIAS>: BiasFlag,
{
    fn default() -> Self {
        Self::new()
    }
}

impl<
        N: Dim,
        H: Dim,
        W: Dim,
        const IN: usize,
        const OUT: usize,
        const K: usize,
        const S: usize,
        const P: usize,
        const L: usize,
        const G: usize,
        const BIAS: bool,
        E: Float,
        Dev: Device,
    > LayerInput<Conv2d<IN, OUT, K, S, P, L, G, E, Dev, BIAS>> for Tensor<(N, D<IN>, H, W), E, Dev>
where
    D<IN>: DimDiv<D<G>> + GroupedChannels<PerGroup<IN, G>, D<G>>,
    Bias<BIAS>: BiasFlag,
    H: ConvDim<D<K>, D<S>, D<P>, D<L>>,
    W: ConvDim<D<K>, D<S>, D<P>, D<L>>,
{
    type Output = Tensor<
        (
            N,
            D<OUT>,
            <H as ConvDim<D<K>, D<S>, D<P>, D<L>>>::Output,
            <W as ConvDim<D<K>, D<S>, D<P>, D<L>>>::Output,
        ),
        E,
        Dev,
    >;
    fn run(layer: &Conv2d<IN, OUT, K, S, P, L, G, E, Dev, BIAS>, x: Self) -> Self::Output {
        x.conv2d::<S, P, L, G, _, _, _, _>(&layer.weight, <Bias<BIAS>>::get(&layer.bias))
    }
}
module_via_layer_input!([const IN: usize, const OUT: usize, const K: usize, const S: usize, const P: usize, const L: usize, const G: usize, E: Float, Dev: Device, const BIAS: bool] Conv2d<IN, OUT, K, S, P, L, G, E, Dev, BIAS> where D<IN>: DimDiv<D<G>>, Bias<BIAS>: BiasFlag);

weight_and_optional_bias!(Conv2d<IN, OUT, K, S, P, L, G>; OUT * (IN / G) * K * K; OUT, D<IN>: DimDiv<D<G>>);

/// `torch.nn.Conv1d(IN, OUT, K, stride=S, padding=P, dilation=L, groups=G, bias=BIAS)`: weight
/// `(OUT, IN/G, K)`, bias `(OUT,)` (`()` for `BIAS = false`); takes `(N, D<IN>, LEN)`.
#[derive(Debug, Clone)]
pub struct Conv1d<
    const IN: usize,
    const OUT: usize,
    const K: usize,
    const S: usize = 1,
    const P: usize = 0,
    const L: usize = 1,
    const G: usize = 1,
    E: Float = f32,
    Dev: Device = Cpu,
    const BIAS: bool = true,
> where
    D<IN>: DimDiv<D<G>>,
    Bias<BIAS>: BiasFlag,
{
    /// `(OUT, IN/G, K)`.
    pub weight: Tensor<(D<OUT>, PerGroup<IN, G>, D<K>), E, Dev>,
    /// `(OUT,)`: the tensor when `BIAS`, `()` otherwise.
    pub bias: BiasSlot<BIAS, Tensor<(D<OUT>,), E, Dev>>,
}

impl<
        const IN: usize,
        const OUT: usize,
        const K: usize,
        const S: usize,
        const P: usize,
        const L: usize,
        const G: usize,
        const BIAS: bool,
        E: Float,
    > Conv1d<IN, OUT, K, S, P, L, G, E, Cpu, BIAS>
where
    D<IN>: DimDiv<D<G>>,
    Bias<BIAS>: BiasFlag,
{
    /// PyTorch's default initialisation, with a bias if `BIAS` (seed with `tch::manual_seed`).
    pub fn new() -> Self {
        let fan_in = IN / G.max(1) * K;
        let weight = fan_in_uniform(fan_in);
        Conv1d {
            weight,
            bias: <Bias<BIAS>>::make(|| fan_in_uniform(fan_in)),
        }
    }
}

impl<
        N: Dim,
        X: Dim,
        const IN: usize,
        const OUT: usize,
        const K: usize,
        const S: usize,
        const P: usize,
        const L: usize,
        const G: usize,
        const BIAS: bool,
        E: Float,
        Dev: Device,
    > LayerInput<Conv1d<IN, OUT, K, S, P, L, G, E, Dev, BIAS>> for Tensor<(N, D<IN>, X), E, Dev>
where
    D<IN>: DimDiv<D<G>> + GroupedChannels<PerGroup<IN, G>, D<G>>,
    Bias<BIAS>: BiasFlag,
    X: ConvDim<D<K>, D<S>, D<P>, D<L>>,
{
    type Output = Tensor<(N, D<OUT>, <X as ConvDim<D<K>, D<S>, D<P>, D<L>>>::Output), E, Dev>;
    fn run(layer: &Conv1d<IN, OUT, K, S, P, L, G, E, Dev, BIAS>, x: Self) -> Self::Output {
        x.conv1d::<S, P, L, G, _, _, _>(&layer.weight, <Bias<BIAS>>::get(&layer.bias))
    }
}
module_via_layer_input!([const IN: usize, const OUT: usize, const K: usize, const S: usize, const P: usize, const L: usize, const G: usize, E: Float, Dev: Device, const BIAS: bool] Conv1d<IN, OUT, K, S, P, L, G, E, Dev, BIAS> where D<IN>: DimDiv<D<G>>, Bias<BIAS>: BiasFlag);

weight_and_optional_bias!(Conv1d<IN, OUT, K, S, P, L, G>; OUT * (IN / G) * K; OUT, D<IN>: DimDiv<D<G>>);

/// `torch.nn.ConvTranspose2d(IN, OUT, K, stride=S, padding=P, output_padding=OP, groups=G,
/// dilation=L, bias=BIAS)`: weight `(IN, OUT/G, K, K)`, bias `(OUT,)` (`()` for `BIAS = false`);
/// takes `(N, D<IN>, H, W)`.
#[derive(Debug, Clone)]
pub struct ConvTranspose2d<
    const IN: usize,
    const OUT: usize,
    const K: usize,
    const S: usize = 1,
    const P: usize = 0,
    const OP: usize = 0,
    const L: usize = 1,
    const G: usize = 1,
    E: Float = f32,
    Dev: Device = Cpu,
    const BIAS: bool = true,
> where
    D<OUT>: DimDiv<D<G>>,
    Bias<BIAS>: BiasFlag,
{
    /// `(IN, OUT/G, K, K)`.
    pub weight: Tensor<(D<IN>, PerGroup<OUT, G>, D<K>, D<K>), E, Dev>,
    /// `(OUT,)`: the tensor when `BIAS`, `()` otherwise.
    pub bias: BiasSlot<BIAS, Tensor<(D<OUT>,), E, Dev>>,
}

impl<
        const IN: usize,
        const OUT: usize,
        const K: usize,
        const S: usize,
        const P: usize,
        const OP: usize,
        const L: usize,
        const G: usize,
        const BIAS: bool,
        E: Float,
    > ConvTranspose2d<IN, OUT, K, S, P, OP, L, G, E, Cpu, BIAS>
where
    D<OUT>: DimDiv<D<G>>,
    Bias<BIAS>: BiasFlag,
{
    /// PyTorch's default initialisation: its fan-in is computed from weight dim 1, `OUT/G * K*K`.
    pub fn new() -> Self {
        let fan_in = OUT / G.max(1) * K * K;
        let weight = fan_in_uniform(fan_in);
        ConvTranspose2d {
            weight,
            bias: <Bias<BIAS>>::make(|| fan_in_uniform(fan_in)),
        }
    }
}

impl<
        N: Dim,
        H: Dim,
        W: Dim,
        const IN: usize,
        const OUT: usize,
        const K: usize,
        const S: usize,
        const P: usize,
        const OP: usize,
        const L: usize,
        const G: usize,
        const BIAS: bool,
        E: Float,
        Dev: Device,
    > LayerInput<ConvTranspose2d<IN, OUT, K, S, P, OP, L, G, E, Dev, BIAS>>
    for Tensor<(N, D<IN>, H, W), E, Dev>
where
    D<OUT>: DimDiv<D<G>>,
    Bias<BIAS>: BiasFlag,
    PerGroup<OUT, G>: DimMul<D<G>, Output = D<OUT>>,
    H: ConvTransposeDim<D<K>, D<S>, D<P>, D<OP>, D<L>>,
    W: ConvTransposeDim<D<K>, D<S>, D<P>, D<OP>, D<L>>,
{
    type Output = Tensor<
        (
            N,
            D<OUT>,
            <H as ConvTransposeDim<D<K>, D<S>, D<P>, D<OP>, D<L>>>::Output,
            <W as ConvTransposeDim<D<K>, D<S>, D<P>, D<OP>, D<L>>>::Output,
        ),
        E,
        Dev,
    >;
    fn run(
        layer: &ConvTranspose2d<IN, OUT, K, S, P, OP, L, G, E, Dev, BIAS>,
        x: Self,
    ) -> Self::Output {
        x.conv_transpose2d::<S, P, OP, L, G, _, _, _>(&layer.weight, <Bias<BIAS>>::get(&layer.bias))
    }
}

module_via_layer_input!([const IN: usize, const OUT: usize, const K: usize, const S: usize, const P: usize, const OP: usize, const L: usize, const G: usize, E: Float, Dev: Device, const BIAS: bool] ConvTranspose2d<IN, OUT, K, S, P, OP, L, G, E, Dev, BIAS> where D<OUT>: DimDiv<D<G>>, Bias<BIAS>: BiasFlag);

weight_and_optional_bias!(ConvTranspose2d<IN, OUT, K, S, P, OP, L, G>; IN * (OUT / G) * K * K; OUT, D<OUT>: DimDiv<D<G>>);

impl<
        const IN: usize,
        const OUT: usize,
        const K: usize,
        const S: usize,
        const P: usize,
        const L: usize,
        const G: usize,
        const BIAS: bool,
        E: Float,
    > Default for Conv1d<IN, OUT, K, S, P, L, G, E, Cpu, BIAS>
where
    D<IN>: DimDiv<D<G>>,
    Bias<BIAS>: BiasFlag,
{
    fn default() -> Self {
        Self::new()
    }
}

impl<
        const IN: usize,
        const OUT: usize,
        const K: usize,
        const S: usize,
        const P: usize,
        const OP: usize,
        const L: usize,
        const G: usize,
        const BIAS: bool,
        E: Float,
    > Default for ConvTranspose2d<IN, OUT, K, S, P, OP, L, G, E, Cpu, BIAS>
where
    D<OUT>: DimDiv<D<G>>,
    Bias<BIAS>: BiasFlag,
{
    fn default() -> Self {
        Self::new()
    }
}
