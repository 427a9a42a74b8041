//! `TransformerEncoderLayer` and `TransformerEncoder`.
use super::{batch_first, clones, BatchOf, TimeOf};
use crate::device::{Cpu, Device};
use crate::dims::{Dim, DimDiv, DimMul, D};
use crate::element::Float;
use crate::error::Result;
use crate::explain::fail;
use crate::nn::module::module_via_layer_input;
use crate::nn::{
    AttnMask, Identity, Init, KeyPaddingMask, KvCache, LayerInput, LayerNorm, Linear, Module,
    MultiheadAttention, Params,
};
use crate::options::{Count, FeedForwardActivation, Presence, TransformerLayerOptions};
use crate::tensor::Tensor;

/// The masks of an encoder pass over sequences of `T` steps in batches of `B`: which steps each
/// step may attend to (PyTorch's `src_mask`) and which steps are padding
/// (`src_key_padding_mask`).
#[derive(Debug, Clone)]
pub struct EncoderMasks<B: Dim, T: Dim, E: Float = f32, Dev: Device = Cpu> {
    /// `(T, T)`: which steps each step may attend to.
    pub mask: Option<AttnMask<T, T, E, Dev>>,
    /// `(B, T)`: the padding steps of each sequence.
    pub key_padding: Option<KeyPaddingMask<B, T, E, Dev>>,
}

impl<B: Dim, T: Dim, E: Float, Dev: Device> EncoderMasks<B, T, E, Dev> {
    /// No masks: every step attends to every step.
    pub fn none() -> Self {
        EncoderMasks {
            mask: None,
            key_padding: None,
        }
    }
}

impl<B: Dim, T: Dim, E: Float, Dev: Device> Default for EncoderMasks<B, T, E, Dev> {
    fn default() -> Self {
        Self::none()
    }
}

/// A layer an encoder stacks: maps a sequence `X` to one of the same type under masks.
pub trait EncoderBlock<X> {
    /// The masks it takes.
    type Masks;
    /// The layer's output, or an error when `Dyn` sizes of the input and masks disagree.
    fn try_block(&self, x: X, masks: &Self::Masks) -> Result<X>;
}

/// `torch.nn.TransformerEncoderLayer(M, nhead, FF)`: self-attention then a feed-forward block of
/// width `FF`, each with a residual connection and a `LayerNorm`, heads written by name
/// (`TransformerEncoderLayer<512, Heads<8>, 2048>`). Options: [`NormFirst`] (pre-norm),
/// [`Activation<GELU>`] (ReLU by default), [`BatchFirst`] (sequences `(batch, time, features)`,
/// else `(time, batch, features)`). Dropout (PyTorch's default 0.1, also on the attention
/// weights) and `layer_norm_eps` are run-time settings. Parameter names are PyTorch's:
/// `self_attn.*`, `linear1.*`, `linear2.*`, `norm1.*`, `norm2.*`.
///
/// [`NormFirst`]: crate::options::NormFirst
/// [`Activation<GELU>`]: crate::options::Activation
/// [`BatchFirst`]: crate::options::BatchFirst
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{AttnMask, EncoderMasks, Init, Module, TransformerEncoderLayer};
/// use typed_torch::options::{BatchFirst, NormFirst};
/// use typed_torch::{Tensor, D, Dyn};
/// let layer = TransformerEncoderLayer::<32, Heads<4>, 64, (BatchFirst, NormFirst)>::init()?.dropout(0.0);
/// let x = Tensor::<(Dyn, D<10>, D<32>)>::randn_dyn(&[2])?;
/// let y: Tensor<(Dyn, D<10>, D<32>)> = layer.forward(x.clone());
/// // Causal: each step sees the steps before it; the mask's length comes from the type.
/// let masks = EncoderMasks { mask: Some(AttnMask::causal()), ..Default::default() };
/// let z = layer.forward_masked(x, &masks);
/// # Ok::<(), typed_torch::Error>(())
/// ```
#[derive(Debug, Clone, crate::nn::Module)]
#[module(manual_init)]
pub struct TransformerEncoderLayer<
    const M: usize,
    H: Count,
    const FF: usize,
    Opts: TransformerLayerOptions = (),
    E: Float = f32,
    Dev: Device = Cpu,
> where
    D<M>: DimDiv<H::Dim>,
    D<3>: DimMul<D<M>>,
{
    /// Self-attention.
    pub self_attn: MultiheadAttention<M, H, (), E, Dev>,
    /// The feed-forward block's first layer, `M -> FF`.
    pub linear1: Linear<M, FF, (), E, Dev>,
    /// The feed-forward block's second layer, `FF -> M`.
    pub linear2: Linear<FF, M, (), E, Dev>,
    /// The norm of the attention block.
    pub norm1: LayerNorm<M, (), E, Dev>,
    /// The norm of the feed-forward block.
    pub norm2: LayerNorm<M, (), E, Dev>,
    /// Dropout probability after each block and inside the feed-forward block.
    #[module(skip)]
    pub dropout: f64,
    /// Whether the layer is in training mode (dropout applies).
    #[module(train)]
    pub train: bool,
    #[module(skip)]
    options: core::marker::PhantomData<Opts>,
}

/// PyTorch's initialisation, in its order: the attention, then `linear1` and `linear2`.
impl<
        const M: usize,
        H: Count,
        const FF: usize,
        Opts: TransformerLayerOptions,
        E: Float,
        Dev: Device,
    > Init for TransformerEncoderLayer<M, H, FF, Opts, E, Dev>
where
    D<M>: DimDiv<H::Dim>,
    D<3>: DimMul<D<M>>,
{
    fn init() -> Result<Self> {
        Ok(TransformerEncoderLayer {
            self_attn: MultiheadAttention::init()?.dropout(0.1),
            linear1: Linear::init()?,
            linear2: Linear::init()?,
            norm1: LayerNorm::init()?,
            norm2: LayerNorm::init()?,
            dropout: 0.1,
            train: true,
            options: core::marker::PhantomData,
        })
    }
}

impl<
        const M: usize,
        H: Count,
        const FF: usize,
        Opts: TransformerLayerOptions,
        E: Float,
        Dev: Device,
    > TransformerEncoderLayer<M, H, FF, Opts, E, Dev>
where
    D<M>: DimDiv<H::Dim>,
    D<3>: DimMul<D<M>>,
{
    /// Sets the dropout probability everywhere in the layer, attention weights included
    /// (PyTorch's `dropout`, 0.1 by default).
    pub fn dropout(mut self, p: f64) -> Self {
        self.dropout = p;
        self.self_attn.dropout = p;
        self
    }

    /// Sets both norms' `eps` (PyTorch's `layer_norm_eps`, 1e-5 by default).
    pub fn layer_norm_eps(mut self, eps: f64) -> Self {
        self.norm1.eps = eps;
        self.norm2.eps = eps;
        self
    }

    /// The layer under masks.
    ///
    /// # Panics
    ///
    /// At the caller's line, when `Dyn` sizes of the input and masks disagree;
    /// [`try_forward_masked`](Self::try_forward_masked) returns the error instead.
    #[track_caller]
    pub fn forward_masked<A0: Dim, A1: Dim>(
        &self,
        x: Tensor<(A0, A1, D<M>), E, Dev>,
        masks: &LayerMasks<Opts, A0, A1, E, Dev>,
    ) -> Tensor<(A0, A1, D<M>), E, Dev> {
        self.try_forward_masked(x, masks)
            .unwrap_or_else(|e| fail(e))
    }

    /// The layer under masks, or an error naming the sizes when `Dyn` sizes of the input and
    /// masks disagree.
    ///
    /// # Errors
    ///
    /// [`Error::Operands`](crate::Error::Operands) with the input's and the masks' sizes.
    pub fn try_forward_masked<A0: Dim, A1: Dim>(
        &self,
        x: Tensor<(A0, A1, D<M>), E, Dev>,
        masks: &LayerMasks<Opts, A0, A1, E, Dev>,
    ) -> Result<Tensor<(A0, A1, D<M>), E, Dev>> {
        self.block(x, |x| {
            self.self_attn.try_forward_masked(
                x,
                x,
                x,
                masks.mask.as_ref(),
                masks.key_padding.as_ref(),
            )
        })
    }

    /// The layer on `T` new steps `x`, causally, attending to the steps `cache` holds and to
    /// themselves; their keys and values join the cache (see
    /// [`MultiheadAttention::forward_cached`]). Decoding a sequence this way gives the layer's
    /// output under a causal mask, one step at a time.
    ///
    /// # Errors
    ///
    /// [`Error::Operands`](crate::Error::Operands) when the batch is not the cached one.
    pub fn try_forward_cached<A0: Dim, A1: Dim>(
        &self,
        x: Tensor<(A0, A1, D<M>), E, Dev>,
        cache: &mut KvCache,
    ) -> Result<Tensor<(A0, A1, D<M>), E, Dev>> {
        self.block(x, |x| self.self_attn.forward_cached(x, cache))
    }

    /// The layer with `attend` as its attention block (batch-first inside).
    fn block<A0: Dim, A1: Dim>(
        &self,
        x: Tensor<(A0, A1, D<M>), E, Dev>,
        mut attend: impl FnMut(
            &BatchFirstSeq<Opts, A0, A1, M, E, Dev>,
        ) -> Result<BatchFirstSeq<Opts, A0, A1, M, E, Dev>>,
    ) -> Result<Tensor<(A0, A1, D<M>), E, Dev>> {
        let x: BatchFirstSeq<Opts, A0, A1, M, E, Dev> =
            Tensor::wrap(batch_first::<Opts::Layout>(x.as_tch()));
        let (p, train) = (self.dropout, self.train);
        let mut attend = |x: &BatchFirstSeq<Opts, A0, A1, M, E, Dev>| -> Result<_> {
            Ok(attend(x)?.dropout(p, train))
        };
        let y = if <Opts::NormFirst as Presence>::PRESENT {
            let x = &x + &attend(&self.norm1.forward(x.clone()))?;
            &x + &feed_forward::<Opts, _, _, M, FF, E, Dev>(self, self.norm2.forward(x.clone()))
        } else {
            let x = self.norm1.forward(&x + &attend(&x)?);
            self.norm2
                .forward(&x + &feed_forward::<Opts, _, _, M, FF, E, Dev>(self, x.clone()))
        };
        Ok(Tensor::wrap(batch_first::<Opts::Layout>(y.as_tch())))
    }
}

/// A sequence with first dims `A0`, `A1` in `Opts`' layout, as `(batch, time, M)`.
type BatchFirstSeq<Opts, A0, A1, const M: usize, E, Dev> = Tensor<
    (
        BatchOf<<Opts as TransformerLayerOptions>::Layout, A0, A1>,
        TimeOf<<Opts as TransformerLayerOptions>::Layout, A0, A1>,
        D<M>,
    ),
    E,
    Dev,
>;

/// The masks of one encoder layer for an input whose first dims are `A0`, `A1`.
pub type LayerMasks<Opts, A0, A1, E, Dev> = EncoderMasks<
    BatchOf<<Opts as TransformerLayerOptions>::Layout, A0, A1>,
    TimeOf<<Opts as TransformerLayerOptions>::Layout, A0, A1>,
    E,
    Dev,
>;

/// The feed-forward block with its dropouts: `dropout(linear2(dropout(act(linear1(x)))))`.
pub(crate) fn feed_forward<Opts, B, T, const M: usize, const FF: usize, E: Float, Dev: Device>(
    layer: &impl FeedForward<M, FF, E, Dev>,
    x: Tensor<(B, T, D<M>), E, Dev>,
) -> Tensor<(B, T, D<M>), E, Dev>
where
    Opts: TransformerLayerOptions,
    B: Dim,
    T: Dim,
{
    let (l1, l2, p, train) = layer.parts();
    let hidden = l1.forward(x);
    let hidden: Tensor<(B, T, D<FF>), E, Dev> = Tensor::wrap(
        <Opts::Activation as FeedForwardActivation>::apply(hidden.as_tch()),
    );
    l2.forward(hidden.dropout(p, train)).dropout(p, train)
}

/// What [`feed_forward`] needs of a layer: its two linear maps, dropout and mode.
pub(crate) trait FeedForward<const M: usize, const FF: usize, E: Float, Dev: Device> {
    fn parts(
        &self,
    ) -> (
        &Linear<M, FF, (), E, Dev>,
        &Linear<FF, M, (), E, Dev>,
        f64,
        bool,
    );
}

impl<
        const M: usize,
        H: Count,
        const FF: usize,
        Opts: TransformerLayerOptions,
        E: Float,
        Dev: Device,
    > FeedForward<M, FF, E, Dev> for TransformerEncoderLayer<M, H, FF, Opts, E, Dev>
where
    D<M>: DimDiv<H::Dim>,
    D<3>: DimMul<D<M>>,
{
    fn parts(
        &self,
    ) -> (
        &Linear<M, FF, (), E, Dev>,
        &Linear<FF, M, (), E, Dev>,
        f64,
        bool,
    ) {
        (&self.linear1, &self.linear2, self.dropout, self.train)
    }
}

impl<A0: Dim, A1: Dim, const M: usize, H: Count, const FF: usize, Opts, E: Float, Dev: Device>
    EncoderBlock<Tensor<(A0, A1, D<M>), E, Dev>> for TransformerEncoderLayer<M, H, FF, Opts, E, Dev>
where
    Opts: TransformerLayerOptions,
    D<M>: DimDiv<H::Dim>,
    D<3>: DimMul<D<M>>,
{
    type Masks = LayerMasks<Opts, A0, A1, E, Dev>;
    fn try_block(
        &self,
        x: Tensor<(A0, A1, D<M>), E, Dev>,
        masks: &Self::Masks,
    ) -> Result<Tensor<(A0, A1, D<M>), E, Dev>> {
        self.try_forward_masked(x, masks)
    }
}

impl<A0: Dim, A1: Dim, const M: usize, H: Count, const FF: usize, Opts, E: Float, Dev: Device>
    LayerInput<TransformerEncoderLayer<M, H, FF, Opts, E, Dev>> for Tensor<(A0, A1, D<M>), E, Dev>
where
    Opts: TransformerLayerOptions,
    D<M>: DimDiv<H::Dim>,
    D<3>: DimMul<D<M>>,
{
    type Output = Tensor<(A0, A1, D<M>), E, Dev>;
    #[track_caller]
    fn run(layer: &TransformerEncoderLayer<M, H, FF, Opts, E, Dev>, x: Self) -> Self::Output {
        layer.forward_masked(x, &EncoderMasks::none())
    }
}
module_via_layer_input!([const M: usize, H: Count, const FF: usize, Opts: TransformerLayerOptions, E: Float, Dev: Device] TransformerEncoderLayer<M, H, FF, Opts, E, Dev> where D<M>: DimDiv<H::Dim>, D<3>: DimMul<D<M>>);

/// A layer an encoder stacks that can decode causally one step at a time.
pub trait CachedEncoderBlock<X> {
    /// The layer on new steps `x`, attending to `cache` and themselves; see
    /// [`TransformerEncoderLayer::try_forward_cached`].
    fn try_block_cached(&self, x: X, cache: &mut KvCache) -> Result<X>;
}

impl<A0: Dim, A1: Dim, const M: usize, H: Count, const FF: usize, Opts, E: Float, Dev: Device>
    CachedEncoderBlock<Tensor<(A0, A1, D<M>), E, Dev>>
    for TransformerEncoderLayer<M, H, FF, Opts, E, Dev>
where
    Opts: TransformerLayerOptions,
    D<M>: DimDiv<H::Dim>,
    D<3>: DimMul<D<M>>,
{
    fn try_block_cached(
        &self,
        x: Tensor<(A0, A1, D<M>), E, Dev>,
        cache: &mut KvCache,
    ) -> Result<Tensor<(A0, A1, D<M>), E, Dev>> {
        self.try_forward_cached(x, cache)
    }
}

/// `torch.nn.TransformerEncoder(layer, N, norm)`: `N` copies of an encoder layer `L`, then
/// `Norm` (PyTorch's `norm=`; [`Identity`] for none, [`LayerNorm<M>`](LayerNorm) for a final
/// norm). Parameter names are PyTorch's: `layers.0.*`... and `norm.*`. Like PyTorch, `init`
/// draws one layer and copies it, so the layers start equal.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Init, LayerNorm, Module, Params, TransformerEncoder, TransformerEncoderLayer};
/// use typed_torch::{Tensor, D};
/// type Layer = TransformerEncoderLayer<16, Heads<2>, 32>;
/// let encoder = TransformerEncoder::<Layer, 3, LayerNorm<16>>::init()?;
/// assert_eq!(encoder.param_names()[0], "layers.0.self_attn.in_proj_weight");
/// let x = Tensor::<(D<7>, D<2>, D<16>)>::randn(); // (time, batch, features)
/// let y = encoder.forward(x);
/// # Ok::<(), typed_torch::Error>(())
/// ```
#[derive(Debug, Clone, crate::nn::Module)]
#[module(manual_init)]
pub struct TransformerEncoder<L, const N: usize, Norm = Identity> {
    /// The layers, in order.
    pub layers: [L; N],
    /// The final norm.
    pub norm: Norm,
}

impl<L: Init + Params + Clone, const N: usize, Norm: Init> Init for TransformerEncoder<L, N, Norm> {
    fn init() -> Result<Self> {
        let layer = L::init()?;
        Ok(TransformerEncoder {
            layers: clones(&layer),
            norm: Norm::init()?,
        })
    }
}

impl<L, const N: usize, Norm> TransformerEncoder<L, N, Norm> {
    /// The stack under masks (the same for every layer).
    ///
    /// # Panics
    ///
    /// At the caller's line, when `Dyn` sizes of the input and masks disagree.
    #[track_caller]
    pub fn forward_masked<X>(&self, x: X, masks: &L::Masks) -> X
    where
        L: EncoderBlock<X>,
        Norm: Module<X, Output = X>,
    {
        self.try_forward_masked(x, masks)
            .unwrap_or_else(|e| fail(e))
    }

    /// The stack under masks, or the error of the first layer that refuses them.
    ///
    /// # Errors
    ///
    /// [`Error::Operands`](crate::Error::Operands) when `Dyn` sizes of the input and masks
    /// disagree.
    pub fn try_forward_masked<X>(&self, mut x: X, masks: &L::Masks) -> Result<X>
    where
        L: EncoderBlock<X>,
        Norm: Module<X, Output = X>,
    {
        for layer in &self.layers {
            x = layer.try_block(x, masks)?;
        }
        Ok(self.norm.forward(x))
    }

    /// One cache per layer, empty: for [`try_forward_cached`](Self::try_forward_cached).
    pub fn new_caches() -> [KvCache; N] {
        core::array::from_fn(|_| KvCache::new())
    }

    /// The stack on new steps `x`, causally, each layer attending to its cache and the new
    /// steps (a decoder-only language model generating one step at a time).
    ///
    /// # Errors
    ///
    /// [`Error::Operands`](crate::Error::Operands) when the batch is not the cached one.
    pub fn try_forward_cached<X>(&self, mut x: X, caches: &mut [KvCache; N]) -> Result<X>
    where
        L: CachedEncoderBlock<X>,
        Norm: Module<X, Output = X>,
    {
        for (layer, cache) in self.layers.iter().zip(caches.iter_mut()) {
            x = layer.try_block_cached(x, cache)?;
        }
        Ok(self.norm.forward(x))
    }
}

#[diagnostic::do_not_recommend]
impl<X, L, const N: usize, Norm> Module<X> for TransformerEncoder<L, N, Norm>
where
    L: EncoderBlock<X>,
    L::Masks: Default,
    Norm: Module<X, Output = X>,
{
    type Output = X;
    #[track_caller]
    fn forward(&self, x: X) -> X {
        self.forward_masked(x, &L::Masks::default())
    }
}
