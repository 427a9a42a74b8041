//! `MultiheadAttention` (batch first), with PyTorch's parameter names and masks.
use super::init::{fan_in_uniform, uniform};
use super::module::module_via_layer_input;
use super::{params::join, Bias, BiasFlag, BiasSlot, LayerInput, Linear, Params, ToDevice, ToKind};
use crate::device::{Cpu, Device};
use crate::dims::{Dim, DimDiv, DimMul, D};
use crate::element::Float;
use crate::explain::{fail, refuse, Needs};
use crate::tensor::Tensor;

/// `3 * EMBED`, computed at compile time.
type Triple<const EMBED: usize> = <D<3> as DimMul<D<EMBED>>>::Output;

/// `torch.nn.MultiheadAttention(EMBED, HEADS, batch_first=True, bias=BIAS)` without dropout.
/// `HEADS` must divide `EMBED`, checked at compile time. Parameters: `in_proj_weight` `(3E, E)`,
/// `in_proj_bias` `(3E,)`, `out_proj.weight` `(E, E)`, `out_proj.bias` `(E,)`; the two biases only
/// with `BIAS` (last, default `true`, as for [`Linear`]): `MultiheadAttention<16, 4, f32, Cpu,
/// false>` is PyTorch's `bias=False`.
///
/// ```
/// use typed_torch::nn::{Module, MultiheadAttention};
/// use typed_torch::{Tensor, D, Dyn};
/// let mha = MultiheadAttention::<16, 4>::new();
/// let x = Tensor::<(Dyn, D<5>, D<16>)>::randn_sized(&[2, 5, 16]).unwrap();
/// let y: Tensor<(Dyn, D<5>, D<16>)> = mha.forward(x); // self-attention
/// ```
#[derive(Debug, Clone)]
pub struct MultiheadAttention<
    const EMBED: usize,
    const HEADS: usize,
    E: Float = f32,
    Dev: Device = Cpu,
    const BIAS: bool = true,
> where
    D<EMBED>: DimDiv<D<HEADS>>,
    D<3>: DimMul<D<EMBED>>,
    Bias<BIAS>: BiasFlag,
{
    /// Query, key and value projections stacked: `(3 * EMBED, EMBED)`.
    pub in_proj_weight: Tensor<(Triple<EMBED>, D<EMBED>), E, Dev>,
    /// Their biases, `(3 * EMBED,)`, when `BIAS`; `()` otherwise.
    pub in_proj_bias: BiasSlot<BIAS, Tensor<(Triple<EMBED>,), E, Dev>>,
    /// The output projection, a `Linear<EMBED, EMBED>` as in PyTorch: its tensors are
    /// `out_proj.weight` `(EMBED, EMBED)` and, when `BIAS`, `out_proj.bias` `(EMBED,)`.
    pub out_proj: Linear<EMBED, EMBED, E, Dev, BIAS>,
}

impl<const EMBED: usize, const HEADS: usize, E: Float, const BIAS: bool>
    MultiheadAttention<EMBED, HEADS, E, Cpu, BIAS>
where
    D<EMBED>: DimDiv<D<HEADS>>,
    D<3>: DimMul<D<EMBED>>,
    Bias<BIAS>: BiasFlag,
{
    /// PyTorch's initialisation: Xavier-uniform input projections, Linear-default output
    /// projection weight, zero biases.
    pub fn new() -> Self {
        MultiheadAttention {
            // xavier_uniform_ on (3E, E): fan_in + fan_out = 4E.
            in_proj_weight: uniform((6.0 / (4 * EMBED).max(1) as f64).sqrt()),
            in_proj_bias: <Bias<BIAS>>::make(|| {
                Tensor::from_tch(tch::Tensor::zeros(
                    [3 * EMBED as i64],
                    (E::DTYPE, tch::Device::Cpu),
                ))
                .expect("3 * EMBED elements")
                .requires_grad()
            }),
            out_proj: Linear {
                weight: fan_in_uniform(EMBED),
                bias: <Bias<BIAS>>::make(|| Tensor::zeros().requires_grad()),
            },
        }
    }
}

impl<const EMBED: usize, const HEADS: usize, E: Float, const BIAS: bool> Default
    for MultiheadAttention<EMBED, HEADS, E, Cpu, BIAS>
where
    D<EMBED>: DimDiv<D<HEADS>>,
    D<3>: DimMul<D<EMBED>>,
    Bias<BIAS>: BiasFlag,
{
    fn default() -> Self {
        Self::new()
    }
}

impl<const EMBED: usize, const HEADS: usize, E: Float, Dev: Device, const BIAS: bool>
    MultiheadAttention<EMBED, HEADS, E, Dev, BIAS>
where
    D<EMBED>: DimDiv<D<HEADS>>,
    D<3>: DimMul<D<EMBED>>,
    Bias<BIAS>: BiasFlag,
{
    /// Attention of queries `(B, T, E)` over keys and values `(B, S, E)`. `mask` `(T, S)` and
    /// `key_padding` `(B, S)` mark with `true` the positions to ignore (PyTorch's convention).
    /// Returns the output `(B, T, E)` and the attention weights averaged over heads `(B, T, S)`,
    /// like PyTorch's `need_weights=True, average_attn_weights=True`. A query whose keys are all
    /// masked gets NaN, as in PyTorch.
    ///
    /// ```
    /// use typed_torch::nn::MultiheadAttention;
    /// use typed_torch::{Tensor, D};
    /// let mha = MultiheadAttention::<8, 2>::new();
    /// let q = Tensor::<(D<2>, D<3>, D<8>)>::randn();
    /// let kv = Tensor::<(D<2>, D<4>, D<8>)>::randn();
    /// let (f, t) = (false, true); // true = ignore this key
    /// let mask = Tensor::<(D<3>, D<4>), bool>::from_slice(&[f, t, t, t, f, f, t, t, f, f, f, t]).unwrap();
    /// let pad = Tensor::<(D<2>, D<4>), bool>::from_slice(&[f, f, f, f, f, f, t, f]).unwrap();
    /// let (out, weights) = mha.attend(&q, &kv, &kv, Some(&mask), Some(&pad));
    /// assert_eq!((out.size(), weights.size()), (vec![2, 3, 8], vec![2, 3, 4]));
    /// ```
    ///
    /// # Panics
    ///
    /// At the caller's line, when `Dyn` sizes disagree: batches of query, key, value or key
    /// padding, key and value lengths, or a mask that is not `(T, S)`.
    #[allow(clippy::type_complexity)]
    #[track_caller]
    pub fn attend<B: Dim, T: Dim, S: Dim>(
        &self,
        query: &Tensor<(B, T, D<EMBED>), E, Dev>,
        key: &Tensor<(B, S, D<EMBED>), E, Dev>,
        value: &Tensor<(B, S, D<EMBED>), E, Dev>,
        mask: Option<&Tensor<(T, S), bool, Dev>>,
        key_padding: Option<&Tensor<(B, S), bool, Dev>>,
    ) -> (Tensor<(B, T, D<EMBED>), E, Dev>, Tensor<(B, T, S), E, Dev>) {
        let (e, h) = (EMBED as i64, HEADS as i64);
        let hd = e / h;
        let w = self.in_proj_weight.as_tch();
        let b = <Bias<BIAS>>::get(&self.in_proj_bias).map(|b| b.as_tch());
        // (B, H, L, hd), with the run-time batch and length.
        let project = |x: &tch::Tensor, i: i64| {
            let bias = b.map(|b| b.narrow(0, i * e, e));
            let y = x.linear(&w.narrow(0, i * e, e), bias.as_ref());
            let (batch, len) = (y.size()[0], y.size()[1]);
            let heads = y.reshape([batch, len, h, hd]).transpose(1, 2);
            (heads, batch, len)
        };
        let (q, batch, t) = project(query.as_tch(), 0);
        let (k, key_batch, s) = project(key.as_tch(), 1);
        let (v, value_batch, value_len) = project(value.as_tch(), 2);
        // `Dyn` batches and lengths must agree: libtorch would broadcast a batch of 1 against 2
        // and a mask of one row against every query. The sizes compared were read above anyway;
        // only a mask with a `Dyn` dim costs a size query.
        let mask_fits = mask.is_none_or(|m| {
            (T::STATIC.is_some() && S::STATIC.is_some()) || m.as_tch().size() == [t, s]
        });
        let padding = key_padding.map(|p| (p.as_tch(), p.size()));
        let padding_fits = padding.as_ref().is_none_or(|(_, p)| p[..] == [batch, s]);
        if key_batch != batch
            || value_batch != batch
            || value_len != s
            || !mask_fits
            || !padding_fits
        {
            let mut operands = vec![query.as_tch(), key.as_tch(), value.as_tch()];
            operands.extend(mask.map(|m| m.as_tch()));
            operands.extend(key_padding.map(|p| p.as_tch()));
            let needs = Needs::Attention {
                mask: mask.is_some(),
                padding: key_padding.is_some(),
            };
            fail(refuse("MultiheadAttention", &operands, needs));
        }
        let mut scores = q.matmul(&k.transpose(-2, -1)) / (hd as f64).sqrt(); // (B, H, T, S)
        if let Some(m) = mask {
            scores = scores.masked_fill(m.as_tch(), f64::NEG_INFINITY);
        }
        if let Some((p, _)) = padding {
            scores = scores.masked_fill(&p.reshape([batch, 1, 1, s]), f64::NEG_INFINITY);
        }
        let weights = scores.softmax(-1, E::DTYPE);
        let context = weights.matmul(&v).transpose(1, 2); // (B, T, H, hd)
        let out = context.reshape([batch, t, e]).linear(
            self.out_proj.weight.as_tch(),
            <Bias<BIAS>>::get(&self.out_proj.bias).map(|b| b.as_tch()),
        );
        (
            Tensor::wrap(out),
            Tensor::wrap(weights.mean_dim([1i64].as_slice(), false, E::DTYPE)),
        )
    }
}

/// Self-attention: the input is query, key and value.
impl<
        B: Dim,
        T: Dim,
        const EMBED: usize,
        const HEADS: usize,
        E: Float,
        Dev: Device,
        const BIAS: bool,
    > LayerInput<MultiheadAttention<EMBED, HEADS, E, Dev, BIAS>>
    for Tensor<(B, T, D<EMBED>), E, Dev>
where
    D<EMBED>: DimDiv<D<HEADS>>,
    D<3>: DimMul<D<EMBED>>,
    Bias<BIAS>: BiasFlag,
{
    type Output = Self;
    fn run(layer: &MultiheadAttention<EMBED, HEADS, E, Dev, BIAS>, x: Self) -> Self {
        layer.attend(&x, &x, &x, None, None).0
    }
}

/// Attention of `(query, key, value)` without masks; see [`MultiheadAttention::attend`] for masks
/// and the attention weights.
impl<
        B: Dim,
        T: Dim,
        S: Dim,
        const EMBED: usize,
        const HEADS: usize,
        E: Float,
        Dev: Device,
        const BIAS: bool,
    > LayerInput<MultiheadAttention<EMBED, HEADS, E, Dev, BIAS>>
    for (
        Tensor<(B, T, D<EMBED>), E, Dev>,
        Tensor<(B, S, D<EMBED>), E, Dev>,
        Tensor<(B, S, D<EMBED>), E, Dev>,
    )
where
    D<EMBED>: DimDiv<D<HEADS>>,
    D<3>: DimMul<D<EMBED>>,
    Bias<BIAS>: BiasFlag,
{
    type Output = Tensor<(B, T, D<EMBED>), E, Dev>;
    fn run(
        layer: &MultiheadAttention<EMBED, HEADS, E, Dev, BIAS>,
        (query, key, value): Self,
    ) -> Self::Output {
        layer.attend(&query, &key, &value, None, None).0
    }
}

module_via_layer_input!([const EMBED: usize, const HEADS: usize, E: Float, Dev: Device, const BIAS: bool] MultiheadAttention<EMBED, HEADS, E, Dev, BIAS> where D<EMBED>: DimDiv<D<HEADS>>, D<3>: DimMul<D<EMBED>>, Bias<BIAS>: BiasFlag);

impl<const EMBED: usize, const HEADS: usize, E: Float, Dev: Device, const BIAS: bool> Params
    for MultiheadAttention<EMBED, HEADS, E, Dev, BIAS>
where
    D<EMBED>: DimDiv<D<HEADS>>,
    D<3>: DimMul<D<EMBED>>,
    Bias<BIAS>: BiasFlag,
{
    fn visit(&self, prefix: &str, f: &mut dyn FnMut(&str, &tch::Tensor)) {
        f(
            &join(prefix, "in_proj_weight"),
            self.in_proj_weight.as_tch(),
        );
        if let Some(b) = <Bias<BIAS>>::get(&self.in_proj_bias) {
            f(&join(prefix, "in_proj_bias"), b.as_tch());
        }
        self.out_proj.visit(&join(prefix, "out_proj"), f);
    }
    fn visit_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut tch::Tensor)) {
        f(
            &join(prefix, "in_proj_weight"),
            self.in_proj_weight.as_tch_mut(),
        );
        if let Some(b) = <Bias<BIAS>>::get_mut(&mut self.in_proj_bias) {
            f(&join(prefix, "in_proj_bias"), b.as_tch_mut());
        }
        self.out_proj.visit_mut(&join(prefix, "out_proj"), f);
    }
}

/// `in_proj_weight` `3E x E` and the `E x E` output projection, plus `in_proj_bias` `3E` and the
/// output bias `E` when `BIAS`.
impl<const EMBED: usize, const HEADS: usize, E: Float, Dev: Device, const BIAS: bool>
    super::StaticParamCount for MultiheadAttention<EMBED, HEADS, E, Dev, BIAS>
where
    D<EMBED>: DimDiv<D<HEADS>>,
    D<3>: DimMul<D<EMBED>>,
    Bias<BIAS>: BiasFlag,
{
    const PARAM_COUNT: usize = 4 * EMBED * EMBED
        + if <Bias<BIAS> as BiasFlag>::PRESENT {
            4 * EMBED
        } else {
            0
        };
}

impl<const EMBED: usize, const HEADS: usize, E: Float, Dev: Device, const BIAS: bool> ToDevice
    for MultiheadAttention<EMBED, HEADS, E, Dev, BIAS>
where
    D<EMBED>: DimDiv<D<HEADS>>,
    D<3>: DimMul<D<EMBED>>,
    Bias<BIAS>: BiasFlag,
{
    type On<D2: Device> = MultiheadAttention<EMBED, HEADS, E, D2, BIAS>;
    fn to_device<D2: Device>(&self) -> crate::Result<Self::On<D2>> {
        Ok(MultiheadAttention {
            in_proj_weight: ToDevice::to_device(&self.in_proj_weight)?,
            in_proj_bias: <Bias<BIAS>>::try_map(&self.in_proj_bias, |b| ToDevice::to_device(b))?,
            out_proj: ToDevice::to_device(&self.out_proj)?,
        })
    }
}

impl<const EMBED: usize, const HEADS: usize, E: Float, Dev: Device, const BIAS: bool> ToKind
    for MultiheadAttention<EMBED, HEADS, E, Dev, BIAS>
where
    D<EMBED>: DimDiv<D<HEADS>>,
    D<3>: DimMul<D<EMBED>>,
    Bias<BIAS>: BiasFlag,
{
    type As<E2: Float> = MultiheadAttention<EMBED, HEADS, E2, Dev, BIAS>;
    fn to_kind<E2: Float>(&self) -> Self::As<E2> {
        MultiheadAttention {
            in_proj_weight: ToKind::to_kind(&self.in_proj_weight),
            in_proj_bias: <Bias<BIAS>>::try_map(&self.in_proj_bias, |b| {
                Ok::<_, std::convert::Infallible>(ToKind::to_kind(b))
            })
            .unwrap_or_else(|never| match never {}),
            out_proj: ToKind::to_kind(&self.out_proj),
        }
    }
}
