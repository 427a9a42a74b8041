//! `MultiheadAttention` (batch first), with PyTorch's parameter names and masks.
use crate::device::{Cpu, Device};
use crate::dims::{Dim, DimDiv, DimMul, D};
use crate::element::Float;
use crate::error::Result;
use crate::explain::{fail, refuse, Needs};
use crate::nn::module::module_via_layer_input;
use crate::nn::{init, Init, LayerInput, Linear, Optional};
use crate::options::{Count, LinearOptions};
use crate::tensor::Tensor;

/// `3 * EMBED`, computed at compile time.
type Triple<const EMBED: usize> = <D<3> as DimMul<D<EMBED>>>::Output;

/// `torch.nn.MultiheadAttention(EMBED, num_heads, batch_first=True)` without dropout, the heads
/// written by name (`MultiheadAttention<16, Heads<4>>`); they must divide `EMBED`, checked at
/// compile time. Parameters: `in_proj_weight` `(3E, E)`,
/// `in_proj_bias` `(3E,)`, `out_proj.weight` `(E, E)`, `out_proj.bias` `(E,)`; option
/// [`NoBias`](crate::options::NoBias) (PyTorch's `bias=False`) drops the two biases.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Init, Module, MultiheadAttention};
/// use typed_torch::{Tensor, D, Dyn};
/// let mha = MultiheadAttention::<16, Heads<4>>::init().unwrap();
/// let x = Tensor::<(Dyn, D<5>, D<16>)>::randn_dyn(&[2]).unwrap();
/// let y: Tensor<(Dyn, D<5>, D<16>)> = mha.forward(x); // self-attention
/// ```
#[derive(Debug, Clone, crate::nn::Module)]
#[module(manual_init)]
pub struct MultiheadAttention<
    const EMBED: usize,
    H: Count,
    Opts: LinearOptions = (),
    E: Float = f32,
    Dev: Device = Cpu,
> where
    D<EMBED>: DimDiv<H::Dim>,
    D<3>: DimMul<D<EMBED>>,
{
    /// Query, key and value projections stacked: `(3 * EMBED, EMBED)`.
    pub in_proj_weight: Tensor<(Triple<EMBED>, D<EMBED>), E, Dev>,
    /// Their biases, `(3 * EMBED,)`, unless `NoBias`.
    pub in_proj_bias: Optional<Opts::Bias, Tensor<(Triple<EMBED>,), E, Dev>>,
    /// The output projection, a `Linear<EMBED, EMBED>` as in PyTorch: its tensors are
    /// `out_proj.weight` `(EMBED, EMBED)` and, unless `NoBias`, `out_proj.bias` `(EMBED,)`.
    pub out_proj: Linear<EMBED, EMBED, Opts, E, Dev>,
    #[module(skip)]
    heads: core::marker::PhantomData<H>,
}

/// PyTorch's initialisation, in PyTorch's order so that a seed draws PyTorch's values: the output
/// projection is a `Linear` created first (its weight and bias drawn as any `Linear`'s), then the
/// input projections are Xavier-uniform, then both biases are zeroed.
impl<const EMBED: usize, H: Count, Opts: LinearOptions, E: Float, Dev: Device> Init
    for MultiheadAttention<EMBED, H, Opts, E, Dev>
where
    D<EMBED>: DimDiv<H::Dim>,
    D<3>: DimMul<D<EMBED>>,
{
    fn init() -> Result<Self> {
        let out_weight = init::fan_in_uniform(EMBED)?;
        // Drawn and then zeroed, as PyTorch does, to keep the generator in step with it.
        let _ = Optional::<Opts::Bias, Tensor<(D<EMBED>,), E, Dev>>::make(|| {
            init::fan_in_uniform(EMBED)
        })?;
        Ok(MultiheadAttention {
            // xavier_uniform_ on (3E, E).
            in_proj_weight: init::xavier_uniform(EMBED, 3 * EMBED)?,
            in_proj_bias: Optional::make(init::zeros)?,
            out_proj: Linear {
                weight: out_weight,
                bias: Optional::make(init::zeros)?,
            },
            heads: core::marker::PhantomData,
        })
    }
}

impl<const EMBED: usize, H: Count, Opts: LinearOptions, E: Float, Dev: Device>
    MultiheadAttention<EMBED, H, Opts, E, Dev>
where
    D<EMBED>: DimDiv<H::Dim>,
    D<3>: DimMul<D<EMBED>>,
{
    /// Attention of queries `(B, T, E)` over keys and values `(B, S, E)`. `mask` `(T, S)` and
    /// `key_padding` `(B, S)` mark with `true` the positions to ignore (PyTorch's convention).
    /// Returns the output `(B, T, E)` and the attention weights averaged over heads `(B, T, S)`,
    /// like PyTorch's `need_weights=True, average_attn_weights=True`. A query whose keys are all
    /// masked gets NaN, as in PyTorch.
    ///
    /// ```
    /// use typed_torch::prelude::*;
    /// use typed_torch::nn::{Init, MultiheadAttention};
    /// use typed_torch::{Tensor, D};
    /// let mha = MultiheadAttention::<8, Heads<2>>::init().unwrap();
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
        let (e, h) = (EMBED as i64, H::N as i64);
        let hd = e / h;
        let w = self.in_proj_weight.as_tch();
        let b = self.in_proj_bias.get().map(|b| b.as_tch());
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
        let padding = key_padding.map(|p| (p.as_tch(), p.as_tch().size()));
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
            self.out_proj.bias.get().map(|b| b.as_tch()),
        );
        (
            Tensor::wrap(out),
            Tensor::wrap(weights.mean_dim([1i64].as_slice(), false, E::DTYPE)),
        )
    }
}

/// Self-attention: the input is query, key and value.
impl<B: Dim, T: Dim, const EMBED: usize, H: Count, Opts: LinearOptions, E: Float, Dev: Device>
    LayerInput<MultiheadAttention<EMBED, H, Opts, E, Dev>> for Tensor<(B, T, D<EMBED>), E, Dev>
where
    D<EMBED>: DimDiv<H::Dim>,
    D<3>: DimMul<D<EMBED>>,
{
    type Output = Self;
    fn run(layer: &MultiheadAttention<EMBED, H, Opts, E, Dev>, x: Self) -> Self {
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
        H: Count,
        Opts: LinearOptions,
        E: Float,
        Dev: Device,
    > LayerInput<MultiheadAttention<EMBED, H, Opts, E, Dev>>
    for (
        Tensor<(B, T, D<EMBED>), E, Dev>,
        Tensor<(B, S, D<EMBED>), E, Dev>,
        Tensor<(B, S, D<EMBED>), E, Dev>,
    )
where
    D<EMBED>: DimDiv<H::Dim>,
    D<3>: DimMul<D<EMBED>>,
{
    type Output = Tensor<(B, T, D<EMBED>), E, Dev>;
    fn run(
        layer: &MultiheadAttention<EMBED, H, Opts, E, Dev>,
        (query, key, value): Self,
    ) -> Self::Output {
        layer.attend(&query, &key, &value, None, None).0
    }
}

module_via_layer_input!([const EMBED: usize, H: Count, Opts: LinearOptions, E: Float, Dev: Device] MultiheadAttention<EMBED, H, Opts, E, Dev> where D<EMBED>: DimDiv<H::Dim>, D<3>: DimMul<D<EMBED>>);
