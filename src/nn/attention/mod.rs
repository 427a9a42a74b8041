//! `MultiheadAttention` (batch first), with PyTorch's parameter names, key and value widths of
//! their own, masks as typed values, and libtorch's `scaled_dot_product_attention` when the
//! attention weights are not asked for.
mod cache;
mod masks;

pub use cache::KvCache;
pub use masks::{AttnMask, KeyPaddingMask};

use crate::device::{Cpu, Device};
use crate::dims::{Dim, DimDiv, DimMul, D};
use crate::element::Float;
use crate::error::Result;
use crate::explain::{fail, refuse, Needs};
use crate::nn::module::module_via_layer_input;
use crate::nn::{init, Init, LayerInput, Linear, Optional};
use crate::options::{AttentionOptions, Count, Presence};
use crate::shape::StaticShape;
use crate::tensor::Tensor;

/// `3 * EMBED`, computed at compile time.
type Triple<const EMBED: usize> = <D<3> as DimMul<D<EMBED>>>::Output;
/// The options' bias as a `Linear`'s options.
type BiasOf<Opts, const EMBED: usize> =
    <<Opts as AttentionOptions<D<EMBED>>>::Bias as Presence>::BiasOption;
/// Present when the projections are separate (`KDim` or `VDim` given).
type Separate<Opts, const EMBED: usize> =
    <<Opts as AttentionOptions<D<EMBED>>>::Packed as Presence>::Negated;

/// `torch.nn.MultiheadAttention(EMBED, num_heads, batch_first=True)`, the heads written by name
/// (`MultiheadAttention<16, Heads<4>>`); they must divide `EMBED`, checked at compile time.
///
/// Parameters, with PyTorch's names: `in_proj_weight` `(3E, E)` (or, when keys or values have
/// widths of their own, [`KDim<K>`](crate::options::KDim) and
/// [`VDim<V>`](crate::options::VDim), `q_proj_weight` `(E, E)`, `k_proj_weight` `(E, K)` and
/// `v_proj_weight` `(E, V)`), `in_proj_bias` `(3E,)`, `out_proj.weight` `(E, E)`,
/// `out_proj.bias` `(E,)`; [`NoBias`](crate::options::NoBias) (PyTorch's `bias=False`) drops
/// the two biases. Dropout on the attention weights (PyTorch's `dropout=`, 0 by default) is set
/// with [`dropout`](Self::dropout) and applies in training mode.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Init, Module, MultiheadAttention};
/// use typed_torch::options::{KDim, VDim};
/// use typed_torch::{Tensor, D, Dyn};
/// let mha = MultiheadAttention::<16, Heads<4>>::init().unwrap();
/// let x = Tensor::<(Dyn, D<5>, D<16>)>::randn_dyn(&[2]).unwrap();
/// let y: Tensor<(Dyn, D<5>, D<16>)> = mha.forward(x.clone()); // self-attention
/// // Keys of 6 features and values of 3, attended by queries of 16.
/// let cross = MultiheadAttention::<16, Heads<4>, (KDim<6>, VDim<3>)>::init().unwrap();
/// let k = Tensor::<(Dyn, D<7>, D<6>)>::randn_dyn(&[2]).unwrap();
/// let v = Tensor::<(Dyn, D<7>, D<3>)>::randn_dyn(&[2]).unwrap();
/// let z: Tensor<(Dyn, D<5>, D<16>)> = cross.forward((x, k, v));
/// ```
#[derive(Debug, Clone, crate::nn::Module)]
#[module(manual_init)]
pub struct MultiheadAttention<
    const EMBED: usize,
    H: Count,
    Opts: AttentionOptions<D<EMBED>> = (),
    E: Float = f32,
    Dev: Device = Cpu,
> where
    D<EMBED>: DimDiv<H::Dim>,
    D<3>: DimMul<D<EMBED>>,
{
    /// Query, key and value projections stacked: `(3 * EMBED, EMBED)`, unless `KDim`/`VDim`.
    pub in_proj_weight: Optional<Opts::Packed, Tensor<(Triple<EMBED>, D<EMBED>), E, Dev>>,
    /// The query projection `(EMBED, EMBED)`, with `KDim`/`VDim` only.
    pub q_proj_weight: Optional<Separate<Opts, EMBED>, Tensor<(D<EMBED>, D<EMBED>), E, Dev>>,
    /// The key projection `(EMBED, K)`, with `KDim`/`VDim` only.
    pub k_proj_weight: Optional<Separate<Opts, EMBED>, Tensor<(D<EMBED>, Opts::KDim), E, Dev>>,
    /// The value projection `(EMBED, V)`, with `KDim`/`VDim` only.
    pub v_proj_weight: Optional<Separate<Opts, EMBED>, Tensor<(D<EMBED>, Opts::VDim), E, Dev>>,
    /// The projections' biases, `(3 * EMBED,)`, unless `NoBias`.
    pub in_proj_bias: Optional<Opts::Bias, Tensor<(Triple<EMBED>,), E, Dev>>,
    /// The output projection, a `Linear<EMBED, EMBED>` as in PyTorch: its tensors are
    /// `out_proj.weight` `(EMBED, EMBED)` and, unless `NoBias`, `out_proj.bias` `(EMBED,)`.
    pub out_proj: Linear<EMBED, EMBED, BiasOf<Opts, EMBED>, E, Dev>,
    /// Dropout probability on the attention weights (PyTorch's `dropout`).
    #[module(skip)]
    pub dropout: f64,
    /// Whether the layer is in training mode (dropout applies).
    #[module(train)]
    pub train: bool,
    #[module(skip)]
    heads: core::marker::PhantomData<H>,
}

/// PyTorch's initialisation, in PyTorch's order so that a seed draws PyTorch's values: the output
/// projection is a `Linear` created first (its weight and bias drawn as any `Linear`'s), then the
/// input projections are Xavier-uniform (the packed one, or query, key and value in turn), then
/// both biases are zeroed.
impl<const EMBED: usize, H: Count, Opts: AttentionOptions<D<EMBED>>, E: Float, Dev: Device> Init
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
        let (k, v) = (
            <(Opts::KDim,) as StaticShape>::sizes()[0] as usize,
            <(Opts::VDim,) as StaticShape>::sizes()[0] as usize,
        );
        Ok(MultiheadAttention {
            in_proj_weight: Optional::make(|| init::xavier_uniform(EMBED, 3 * EMBED))?,
            q_proj_weight: Optional::make(|| init::xavier_uniform(EMBED, EMBED))?,
            k_proj_weight: Optional::make(|| init::xavier_uniform(k, EMBED))?,
            v_proj_weight: Optional::make(|| init::xavier_uniform(v, EMBED))?,
            in_proj_bias: Optional::make(init::zeros)?,
            out_proj: Linear {
                weight: out_weight,
                bias: Optional::make(init::zeros)?,
            },
            dropout: 0.0,
            train: true,
            heads: core::marker::PhantomData,
        })
    }
}

/// How a call returns: with the attention weights (PyTorch's `need_weights=True`) or without
/// (`False`, computed by `scaled_dot_product_attention`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Weights {
    Needed,
    NotNeeded,
}

impl<const EMBED: usize, H: Count, Opts: AttentionOptions<D<EMBED>>, E: Float, Dev: Device>
    MultiheadAttention<EMBED, H, Opts, E, Dev>
where
    D<EMBED>: DimDiv<H::Dim>,
    D<3>: DimMul<D<EMBED>>,
{
    /// Sets the dropout probability on the attention weights (PyTorch's `dropout`).
    pub fn dropout(mut self, p: f64) -> Self {
        self.dropout = p;
        self
    }

    /// Attention of queries `(B, T, E)` over keys `(B, S, K)` and values `(B, S, V)`. `mask`
    /// `(T, S)` and `key_padding` `(B, S)` mark with `true` the positions to ignore (PyTorch's
    /// convention). Returns the output `(B, T, E)` and the attention weights averaged over heads
    /// `(B, T, S)`, like PyTorch's `need_weights=True, average_attn_weights=True`. A query whose
    /// keys are all masked gets NaN, as in PyTorch.
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
        key: &Tensor<(B, S, Opts::KDim), E, Dev>,
        value: &Tensor<(B, S, Opts::VDim), E, Dev>,
        mask: Option<&Tensor<(T, S), bool, Dev>>,
        key_padding: Option<&Tensor<(B, S), bool, Dev>>,
    ) -> (Tensor<(B, T, D<EMBED>), E, Dev>, Tensor<(B, T, S), E, Dev>) {
        let mask = mask.map(AttnMask::from_bool);
        let key_padding = key_padding.map(KeyPaddingMask::from_bool);
        self.attend_masked(query, key, value, mask.as_ref(), key_padding.as_ref())
    }

    /// [`attend`](Self::attend) with masks as typed values, boolean or additive (a float added
    /// to the scores), and the attention weights averaged over heads.
    ///
    /// # Panics
    ///
    /// At the caller's line, when `Dyn` sizes disagree (see [`attend`](Self::attend));
    /// [`try_forward_masked`](Self::try_forward_masked) returns the error instead.
    #[allow(clippy::type_complexity)]
    #[track_caller]
    pub fn attend_masked<B: Dim, T: Dim, S: Dim>(
        &self,
        query: &Tensor<(B, T, D<EMBED>), E, Dev>,
        key: &Tensor<(B, S, Opts::KDim), E, Dev>,
        value: &Tensor<(B, S, Opts::VDim), E, Dev>,
        mask: Option<&AttnMask<T, S, E, Dev>>,
        key_padding: Option<&KeyPaddingMask<B, S, E, Dev>>,
    ) -> (Tensor<(B, T, D<EMBED>), E, Dev>, Tensor<(B, T, S), E, Dev>) {
        let masks = Masks::new(mask, key_padding);
        match self.run(query, key, value, &masks, Weights::Needed) {
            Ok((out, weights)) => (out, weights.expect("weights were asked for")),
            Err(err) => fail(err),
        }
    }

    /// The output of attention alone (PyTorch's `need_weights=False`), computed by libtorch's
    /// `scaled_dot_product_attention`, with optional masks.
    ///
    /// ```
    /// use typed_torch::prelude::*;
    /// use typed_torch::nn::{AttnMask, Init, MultiheadAttention};
    /// use typed_torch::{Tensor, D};
    /// let mha = MultiheadAttention::<8, Heads<2>>::init().unwrap();
    /// let x = Tensor::<(D<2>, D<5>, D<8>)>::randn();
    /// // Each position attends to itself and the ones before: position 0 sees only itself.
    /// let y = mha.forward_masked(&x, &x, &x, Some(&AttnMask::causal()), None);
    /// let first = mha.forward_masked(&x.narrow::<1, 0, 1>(), &x.narrow::<1, 0, 1>(), &x.narrow::<1, 0, 1>(), None, None);
    /// let diff = (y.narrow::<1, 0, 1>() - first).abs().sum_all().item();
    /// assert!(diff < 1e-6);
    /// ```
    ///
    /// # Panics
    ///
    /// At the caller's line, when `Dyn` sizes disagree (see [`attend`](Self::attend)).
    #[track_caller]
    pub fn forward_masked<B: Dim, T: Dim, S: Dim>(
        &self,
        query: &Tensor<(B, T, D<EMBED>), E, Dev>,
        key: &Tensor<(B, S, Opts::KDim), E, Dev>,
        value: &Tensor<(B, S, Opts::VDim), E, Dev>,
        mask: Option<&AttnMask<T, S, E, Dev>>,
        key_padding: Option<&KeyPaddingMask<B, S, E, Dev>>,
    ) -> Tensor<(B, T, D<EMBED>), E, Dev> {
        match self.try_forward_masked(query, key, value, mask, key_padding) {
            Ok(out) => out,
            Err(err) => fail(err),
        }
    }

    /// [`forward_masked`](Self::forward_masked), returning an error when `Dyn` sizes disagree.
    ///
    /// # Errors
    ///
    /// [`Error::Operands`](crate::Error::Operands) naming the sizes that do not fit: batches
    /// of query, key, value or key padding, key and value lengths, or a mask that is not
    /// `(T, S)`.
    pub fn try_forward_masked<B: Dim, T: Dim, S: Dim>(
        &self,
        query: &Tensor<(B, T, D<EMBED>), E, Dev>,
        key: &Tensor<(B, S, Opts::KDim), E, Dev>,
        value: &Tensor<(B, S, Opts::VDim), E, Dev>,
        mask: Option<&AttnMask<T, S, E, Dev>>,
        key_padding: Option<&KeyPaddingMask<B, S, E, Dev>>,
    ) -> Result<Tensor<(B, T, D<EMBED>), E, Dev>> {
        let masks = Masks::new(mask, key_padding);
        Ok(self.run(query, key, value, &masks, Weights::NotNeeded)?.0)
    }

    /// Self-attention's three projections of `x` in one product with the packed weight (as
    /// PyTorch does when query, key and value are one tensor), each `(B, H, L, hd)`.
    #[allow(clippy::type_complexity)]
    fn project_packed(
        &self,
        x: &tch::Tensor,
    ) -> (
        (tch::Tensor, i64, i64),
        (tch::Tensor, i64, i64),
        (tch::Tensor, i64, i64),
    ) {
        let (e, h) = (EMBED as i64, H::N as i64);
        let weight = self
            .in_proj_weight
            .get()
            .expect("the packed projection")
            .as_tch();
        let y = x.linear(weight, self.in_proj_bias.get().map(|b| b.as_tch()));
        let (batch, len) = (y.size()[0], y.size()[1]);
        let heads = |i: i64| {
            let part = y
                .narrow(2, i * e, e)
                .reshape([batch, len, h, e / h])
                .transpose(1, 2);
            (part, batch, len)
        };
        (heads(0), heads(1), heads(2))
    }

    /// Projection `i` (query 0, key 1, value 2) of `x` `(B, L, features)`: `(B, H, L, hd)`, with
    /// the run-time batch and length.
    fn project(&self, x: &tch::Tensor, i: i64) -> (tch::Tensor, i64, i64) {
        let (e, h) = (EMBED as i64, H::N as i64);
        let weight = match self.in_proj_weight.get() {
            Some(packed) => packed.as_tch().narrow(0, i * e, e),
            None => match i {
                0 => self.q_proj_weight.get().map(|w| w.as_tch().shallow_clone()),
                1 => self.k_proj_weight.get().map(|w| w.as_tch().shallow_clone()),
                _ => self.v_proj_weight.get().map(|w| w.as_tch().shallow_clone()),
            }
            .expect("separate projections exist when the packed one does not"),
        };
        let bias = self
            .in_proj_bias
            .get()
            .map(|b| b.as_tch().narrow(0, i * e, e));
        let y = x.linear(&weight, bias.as_ref());
        let (batch, len) = (y.size()[0], y.size()[1]);
        (
            y.reshape([batch, len, h, e / h]).transpose(1, 2),
            batch,
            len,
        )
    }

    /// Causal self-attention of `T` new steps `x` `(B, T, E)` over every step `cache` holds and
    /// themselves, each new step seeing the steps before it; their keys and values are added to
    /// `cache`. Decoding one step at a time this way costs one step, not a re-run of the prefix,
    /// and gives what causal attention over the whole sequence gives.
    ///
    /// ```
    /// use typed_torch::prelude::*;
    /// use typed_torch::nn::{AttnMask, Init, KvCache, MultiheadAttention};
    /// use typed_torch::{Tensor, D, Dyn};
    /// let mha = MultiheadAttention::<8, Heads<2>, (), f64>::init()?;
    /// let x = Tensor::<(D<1>, Dyn, D<8>), f64>::randn_dyn(&[6])?;
    /// let whole = mha.forward_masked(&x, &x, &x, Some(&AttnMask::causal_dyn(6)), None);
    /// let mut cache = KvCache::new();
    /// let first = mha.forward_cached(&x.narrow_dyn::<1>(0, 4)?, &mut cache)?; // a prompt of 4
    /// let fifth = mha.forward_cached(&x.narrow_dyn::<1>(4, 1)?, &mut cache)?; // then one step
    /// let expected = whole.narrow_dyn::<1>(4, 1)?;
    /// assert!((fifth - expected).abs().sum_all().item() < 1e-12);
    /// assert_eq!(cache.len(), 5);
    /// # Ok::<(), typed_torch::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Operands`](crate::Error::Operands) when the batch differs from the cached one.
    pub fn forward_cached<B: Dim, T: Dim>(
        &self,
        x: &Tensor<(B, T, D<EMBED>), E, Dev>,
        cache: &mut KvCache,
    ) -> Result<Tensor<(B, T, D<EMBED>), E, Dev>>
    where
        Opts: AttentionOptions<D<EMBED>, KDim = D<EMBED>, VDim = D<EMBED>>,
    {
        let ((q, batch, t), (k, _, _), (v, _, _)) = match self.in_proj_weight.get() {
            Some(_) => self.project_packed(x.as_tch()),
            None => (
                self.project(x.as_tch(), 0),
                self.project(x.as_tch(), 1),
                self.project(x.as_tch(), 2),
            ),
        };
        let earlier = cache.len() as i64;
        let (k, v) = cache.append(k, v, x.as_tch())?;
        // New step `i` (position `earlier + i`) sees keys `0..=earlier + i`.
        let mask = (t > 1).then(|| {
            let ones = tch::Tensor::ones([t, earlier + t], (tch::Kind::Bool, x.as_tch().device()));
            tch::Tensor::zeros([t, earlier + t], (E::DTYPE, x.as_tch().device()))
                .masked_fill(&ones.triu(earlier + 1), f64::NEG_INFINITY)
        });
        let p = if self.train { self.dropout } else { 0.0 };
        let context = tch::Tensor::scaled_dot_product_attention(
            &q,
            &k,
            &v,
            mask.as_ref(),
            p,
            false,
            None,
            false,
        );
        let out = context
            .transpose(1, 2)
            .reshape([batch, t, EMBED as i64])
            .linear(
                self.out_proj.weight.as_tch(),
                self.out_proj.bias.get().map(|b| b.as_tch()),
            );
        Ok(Tensor::wrap(out))
    }

    /// Projections, checks, and attention itself.
    #[allow(clippy::type_complexity)]
    fn run<B: Dim, T: Dim, S: Dim>(
        &self,
        query: &Tensor<(B, T, D<EMBED>), E, Dev>,
        key: &Tensor<(B, S, Opts::KDim), E, Dev>,
        value: &Tensor<(B, S, Opts::VDim), E, Dev>,
        masks: &Masks<'_>,
        weights: Weights,
    ) -> Result<(
        Tensor<(B, T, D<EMBED>), E, Dev>,
        Option<Tensor<(B, T, S), E, Dev>>,
    )> {
        let (e, h) = (EMBED as i64, H::N as i64);
        let hd = e / h;
        // One tensor as query, key and value (self-attention): one product, as PyTorch's `is`.
        let same_input = std::ptr::eq(query.as_tch(), key.as_tch())
            && std::ptr::eq(key.as_tch(), value.as_tch());
        let ((q, batch, t), (k, key_batch, s), (v, value_batch, value_len)) =
            match self.in_proj_weight.get() {
                Some(_) if same_input => self.project_packed(query.as_tch()),
                _ => (
                    self.project(query.as_tch(), 0),
                    self.project(key.as_tch(), 1),
                    self.project(value.as_tch(), 2),
                ),
            };
        // `Dyn` batches and lengths must agree: libtorch would broadcast a batch of 1 against 2
        // and a mask of one row against every query. The sizes compared were read above anyway;
        // only a mask with a `Dyn` dim costs a size query.
        let mask_fits = masks
            .attn
            .is_none_or(|m| (T::STATIC.is_some() && S::STATIC.is_some()) || m.size() == [t, s]);
        let padding_fits = masks.padding.is_none_or(|p| p.size() == [batch, s]);
        if key_batch != batch
            || value_batch != batch
            || value_len != s
            || !mask_fits
            || !padding_fits
        {
            let mut operands = vec![query.as_tch(), key.as_tch(), value.as_tch()];
            operands.extend(masks.attn);
            operands.extend(masks.padding);
            let needs = Needs::Attention {
                mask: masks.attn.is_some(),
                padding: masks.padding.is_some(),
            };
            return Err(refuse("MultiheadAttention", &operands, needs));
        }
        // PyTorch's merged mask: the `(T, S)` mask plus each sequence's padding row.
        let merged = match (masks.attn, masks.padding) {
            (None, None) => None,
            (Some(m), None) => Some(m.shallow_clone()),
            (None, Some(p)) => Some(p.reshape([batch, 1, 1, s])),
            (Some(m), Some(p)) => Some(m + p.reshape([batch, 1, 1, s])),
        };
        let p = if self.train { self.dropout } else { 0.0 };
        let (context, averaged) = match weights {
            Weights::NotNeeded => {
                let context = tch::Tensor::scaled_dot_product_attention(
                    &q,
                    &k,
                    &v,
                    merged.as_ref(),
                    p,
                    false,
                    None,
                    false,
                );
                (context, None)
            }
            Weights::Needed => {
                let scores = (&q * (1.0 / (hd as f64).sqrt())).matmul(&k.transpose(-2, -1));
                let scores = match &merged {
                    Some(m) => scores + m,
                    None => scores,
                };
                let attention = scores.softmax(-1, E::DTYPE).dropout(p, self.train);
                let context = attention.matmul(&v);
                let averaged = attention.mean_dim([1i64].as_slice(), false, E::DTYPE);
                (context, Some(Tensor::wrap(averaged)))
            }
        };
        let out = context.transpose(1, 2).reshape([batch, t, e]).linear(
            self.out_proj.weight.as_tch(),
            self.out_proj.bias.get().map(|b| b.as_tch()),
        );
        Ok((Tensor::wrap(out), averaged))
    }
}

/// A call's masks, untyped once their types have been checked against the inputs'.
struct Masks<'a> {
    attn: Option<&'a tch::Tensor>,
    padding: Option<&'a tch::Tensor>,
}

impl<'a> Masks<'a> {
    fn new<B: Dim, T: Dim, S: Dim, E: Float, Dev: Device>(
        attn: Option<&'a AttnMask<T, S, E, Dev>>,
        padding: Option<&'a KeyPaddingMask<B, S, E, Dev>>,
    ) -> Self {
        Masks {
            attn: attn.map(|m| m.additive().as_tch()),
            padding: padding.map(|p| p.additive().as_tch()),
        }
    }
}

/// Self-attention: the input is query, key and value.
impl<B: Dim, T: Dim, const EMBED: usize, H: Count, Opts, E: Float, Dev: Device>
    LayerInput<MultiheadAttention<EMBED, H, Opts, E, Dev>> for Tensor<(B, T, D<EMBED>), E, Dev>
where
    Opts: AttentionOptions<D<EMBED>, KDim = D<EMBED>, VDim = D<EMBED>>,
    D<EMBED>: DimDiv<H::Dim>,
    D<3>: DimMul<D<EMBED>>,
{
    type Output = Self;
    #[track_caller]
    fn run(layer: &MultiheadAttention<EMBED, H, Opts, E, Dev>, x: Self) -> Self {
        layer.forward_masked(&x, &x, &x, None, None)
    }
}

/// Attention of `(query, key, value)` without masks; see
/// [`MultiheadAttention::forward_masked`] for masks and [`MultiheadAttention::attend`] for the
/// attention weights.
impl<
        B: Dim,
        T: Dim,
        S: Dim,
        const EMBED: usize,
        H: Count,
        Opts: AttentionOptions<D<EMBED>>,
        E: Float,
        Dev: Device,
    > LayerInput<MultiheadAttention<EMBED, H, Opts, E, Dev>>
    for (
        Tensor<(B, T, D<EMBED>), E, Dev>,
        Tensor<(B, S, Opts::KDim), E, Dev>,
        Tensor<(B, S, Opts::VDim), E, Dev>,
    )
where
    D<EMBED>: DimDiv<H::Dim>,
    D<3>: DimMul<D<EMBED>>,
{
    type Output = Tensor<(B, T, D<EMBED>), E, Dev>;
    #[track_caller]
    fn run(
        layer: &MultiheadAttention<EMBED, H, Opts, E, Dev>,
        (query, key, value): Self,
    ) -> Self::Output {
        layer.forward_masked(&query, &key, &value, None, None)
    }
}

module_via_layer_input!([const EMBED: usize, H: Count, Opts: AttentionOptions<D<EMBED>>, E: Float, Dev: Device] MultiheadAttention<EMBED, H, Opts, E, Dev> where D<EMBED>: DimDiv<H::Dim>, D<3>: DimMul<D<EMBED>>);
