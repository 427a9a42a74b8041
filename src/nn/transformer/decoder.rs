//! `TransformerDecoderLayer` and `TransformerDecoder`.
use super::encoder::FeedForward;
use super::{batch_first, clones, BatchOf, SameBatch, TimeOf};
use crate::device::{Cpu, Device};
use crate::dims::{Dim, DimDiv, DimMul, D};
use crate::element::Float;
use crate::error::Result;
use crate::explain::fail;
use crate::nn::module::module_via_layer_input;
use crate::nn::{
    AttnMask, Identity, Init, KeyPaddingMask, LayerInput, LayerNorm, Linear, Module,
    MultiheadAttention, Params,
};
use crate::options::{Count, Presence, TransformerLayerOptions};
use crate::tensor::Tensor;

/// The masks of a decoder pass: target sequences of `T` steps attending to themselves and to a
/// memory of `S` steps, in batches of `B` (PyTorch's `tgt_mask`, `memory_mask`,
/// `tgt_key_padding_mask`, `memory_key_padding_mask`).
#[derive(Debug, Clone)]
pub struct DecoderMasks<B: Dim, T: Dim, S: Dim, E: Float = f32, Dev: Device = Cpu> {
    /// `(T, T)`: which target steps each target step may attend to (causal, usually).
    pub tgt_mask: Option<AttnMask<T, T, E, Dev>>,
    /// `(T, S)`: which memory steps each target step may attend to.
    pub memory_mask: Option<AttnMask<T, S, E, Dev>>,
    /// `(B, T)`: the padding steps of each target sequence.
    pub tgt_key_padding: Option<KeyPaddingMask<B, T, E, Dev>>,
    /// `(B, S)`: the padding steps of each memory sequence.
    pub memory_key_padding: Option<KeyPaddingMask<B, S, E, Dev>>,
}

impl<B: Dim, T: Dim, S: Dim, E: Float, Dev: Device> DecoderMasks<B, T, S, E, Dev> {
    /// No masks.
    pub fn none() -> Self {
        DecoderMasks {
            tgt_mask: None,
            memory_mask: None,
            tgt_key_padding: None,
            memory_key_padding: None,
        }
    }
}

impl<B: Dim, T: Dim, S: Dim, E: Float, Dev: Device> Default for DecoderMasks<B, T, S, E, Dev> {
    fn default() -> Self {
        Self::none()
    }
}

/// A layer a decoder stacks: maps a target sequence `X` and a memory `Mem` to a sequence of
/// `X`'s type under masks.
pub trait DecoderBlock<X, Mem> {
    /// The masks it takes.
    type Masks;
    /// The layer's output, or an error when `Dyn` sizes disagree.
    fn try_block(&self, x: X, memory: &Mem, masks: &Self::Masks) -> Result<X>;
}

/// `torch.nn.TransformerDecoderLayer(M, nhead, FF)`: masked self-attention, attention to the
/// encoder's output (the memory), and a feed-forward block of width `FF`, each with a residual
/// connection and a `LayerNorm`. Options, run-time settings and layouts as
/// [`TransformerEncoderLayer`](super::TransformerEncoderLayer). Parameter names are PyTorch's:
/// `self_attn.*`, `multihead_attn.*`, `linear1.*`, `linear2.*`, `norm1.*`..`norm3.*`.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{AttnMask, DecoderMasks, Init, TransformerDecoderLayer};
/// use typed_torch::options::BatchFirst;
/// use typed_torch::{Tensor, D};
/// let layer = TransformerDecoderLayer::<16, Heads<2>, 32, BatchFirst>::init()?;
/// let tgt = Tensor::<(D<2>, D<5>, D<16>)>::randn();
/// let memory = Tensor::<(D<2>, D<9>, D<16>)>::randn();
/// let masks = DecoderMasks { tgt_mask: Some(AttnMask::causal()), ..Default::default() };
/// let y: Tensor<(D<2>, D<5>, D<16>)> = layer.forward_masked(tgt, &memory, &masks);
/// # Ok::<(), typed_torch::Error>(())
/// ```
#[derive(Debug, Clone, crate::nn::Module)]
#[module(manual_init)]
pub struct TransformerDecoderLayer<
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
    /// Self-attention of the target.
    pub self_attn: MultiheadAttention<M, H, (), E, Dev>,
    /// Attention from the target to the memory.
    pub multihead_attn: MultiheadAttention<M, H, (), E, Dev>,
    /// The feed-forward block's first layer, `M -> FF`.
    pub linear1: Linear<M, FF, (), E, Dev>,
    /// The feed-forward block's second layer, `FF -> M`.
    pub linear2: Linear<FF, M, (), E, Dev>,
    /// The norm of the self-attention block.
    pub norm1: LayerNorm<M, (), E, Dev>,
    /// The norm of the memory-attention block.
    pub norm2: LayerNorm<M, (), E, Dev>,
    /// The norm of the feed-forward block.
    pub norm3: LayerNorm<M, (), E, Dev>,
    /// Dropout probability after each block and inside the feed-forward block.
    #[module(skip)]
    pub dropout: f64,
    /// Whether the layer is in training mode (dropout applies).
    #[module(train)]
    pub train: bool,
    #[module(skip)]
    options: core::marker::PhantomData<Opts>,
}

/// PyTorch's initialisation, in its order: both attentions, then `linear1` and `linear2`.
impl<
        const M: usize,
        H: Count,
        const FF: usize,
        Opts: TransformerLayerOptions,
        E: Float,
        Dev: Device,
    > Init for TransformerDecoderLayer<M, H, FF, Opts, E, Dev>
where
    D<M>: DimDiv<H::Dim>,
    D<3>: DimMul<D<M>>,
{
    fn init() -> Result<Self> {
        Ok(TransformerDecoderLayer {
            self_attn: MultiheadAttention::init()?.dropout(0.1),
            multihead_attn: MultiheadAttention::init()?.dropout(0.1),
            linear1: Linear::init()?,
            linear2: Linear::init()?,
            norm1: LayerNorm::init()?,
            norm2: LayerNorm::init()?,
            norm3: LayerNorm::init()?,
            dropout: 0.1,
            train: true,
            options: core::marker::PhantomData,
        })
    }
}

/// The masks of one decoder layer for a target whose first dims are `A0`, `A1` and a memory
/// whose first dims are `M0`, `M1`.
pub type LayerDecoderMasks<Opts, A0, A1, M0, M1, E, Dev> = DecoderMasks<
    BatchOf<<Opts as TransformerLayerOptions>::Layout, A0, A1>,
    TimeOf<<Opts as TransformerLayerOptions>::Layout, A0, A1>,
    TimeOf<<Opts as TransformerLayerOptions>::Layout, M0, M1>,
    E,
    Dev,
>;

impl<
        const M: usize,
        H: Count,
        const FF: usize,
        Opts: TransformerLayerOptions,
        E: Float,
        Dev: Device,
    > TransformerDecoderLayer<M, H, FF, Opts, E, Dev>
where
    D<M>: DimDiv<H::Dim>,
    D<3>: DimMul<D<M>>,
{
    /// Sets the dropout probability everywhere in the layer, attention weights included
    /// (PyTorch's `dropout`, 0.1 by default).
    pub fn dropout(mut self, p: f64) -> Self {
        self.dropout = p;
        self.self_attn.dropout = p;
        self.multihead_attn.dropout = p;
        self
    }

    /// Sets the norms' `eps` (PyTorch's `layer_norm_eps`, 1e-5 by default).
    pub fn layer_norm_eps(mut self, eps: f64) -> Self {
        self.norm1.eps = eps;
        self.norm2.eps = eps;
        self.norm3.eps = eps;
        self
    }

    /// The layer on target `x` and `memory` under masks.
    ///
    /// # Panics
    ///
    /// At the caller's line, when `Dyn` sizes disagree;
    /// [`try_forward_masked`](Self::try_forward_masked) returns the error instead.
    #[track_caller]
    pub fn forward_masked<A0: Dim, A1: Dim, M0: Dim, M1: Dim>(
        &self,
        x: Tensor<(A0, A1, D<M>), E, Dev>,
        memory: &Tensor<(M0, M1, D<M>), E, Dev>,
        masks: &LayerDecoderMasks<Opts, A0, A1, M0, M1, E, Dev>,
    ) -> Tensor<(A0, A1, D<M>), E, Dev>
    where
        BatchOf<Opts::Layout, M0, M1>: SameBatch<BatchOf<Opts::Layout, A0, A1>>,
    {
        self.try_forward_masked(x, memory, masks)
            .unwrap_or_else(|e| fail(e))
    }

    /// The layer on target `x` and `memory` under masks, or an error naming the sizes when
    /// `Dyn` sizes disagree.
    ///
    /// # Errors
    ///
    /// [`Error::Operands`](crate::Error::Operands) with the sizes that do not fit.
    pub fn try_forward_masked<A0: Dim, A1: Dim, M0: Dim, M1: Dim>(
        &self,
        x: Tensor<(A0, A1, D<M>), E, Dev>,
        memory: &Tensor<(M0, M1, D<M>), E, Dev>,
        masks: &LayerDecoderMasks<Opts, A0, A1, M0, M1, E, Dev>,
    ) -> Result<Tensor<(A0, A1, D<M>), E, Dev>>
    where
        BatchOf<Opts::Layout, M0, M1>: SameBatch<BatchOf<Opts::Layout, A0, A1>>,
    {
        type Seq<Opts, A0, A1, T, const M: usize, E, Dev> = Tensor<
            (
                BatchOf<<Opts as TransformerLayerOptions>::Layout, A0, A1>,
                T,
                D<M>,
            ),
            E,
            Dev,
        >;
        type Tgt<Opts, A0, A1, const M: usize, E, Dev> =
            Seq<Opts, A0, A1, TimeOf<<Opts as TransformerLayerOptions>::Layout, A0, A1>, M, E, Dev>;
        let x: Tgt<Opts, A0, A1, M, E, Dev> = Tensor::wrap(batch_first::<Opts::Layout>(x.as_tch()));
        // The memory's batch dim is the target's (`SameBatch`), so it is typed with it.
        let memory: Seq<Opts, A0, A1, TimeOf<Opts::Layout, M0, M1>, M, E, Dev> =
            Tensor::wrap(batch_first::<Opts::Layout>(memory.as_tch()));
        let (p, train) = (self.dropout, self.train);
        let attend_self =
            |x: &Tgt<Opts, A0, A1, M, E, Dev>| -> Result<Tgt<Opts, A0, A1, M, E, Dev>> {
                let y = self.self_attn.try_forward_masked(
                    x,
                    x,
                    x,
                    masks.tgt_mask.as_ref(),
                    masks.tgt_key_padding.as_ref(),
                )?;
                Ok(y.dropout(p, train))
            };
        let attend_memory =
            |x: &Tgt<Opts, A0, A1, M, E, Dev>| -> Result<Tgt<Opts, A0, A1, M, E, Dev>> {
                let y = self.multihead_attn.try_forward_masked(
                    x,
                    &memory,
                    &memory,
                    masks.memory_mask.as_ref(),
                    masks.memory_key_padding.as_ref(),
                )?;
                Ok(y.dropout(p, train))
            };
        let feed_forward = |x: Tgt<Opts, A0, A1, M, E, Dev>| {
            super::encoder::feed_forward::<Opts, _, _, M, FF, E, Dev>(self, x)
        };
        let y = if <Opts::NormFirst as Presence>::PRESENT {
            let x = &x + &attend_self(&self.norm1.forward(x.clone()))?;
            let x = &x + &attend_memory(&self.norm2.forward(x.clone()))?;
            &x + &feed_forward(self.norm3.forward(x.clone()))
        } else {
            let x = self.norm1.forward(&x + &attend_self(&x)?);
            let x = self.norm2.forward(&x + &attend_memory(&x)?);
            self.norm3.forward(&x + &feed_forward(x.clone()))
        };
        Ok(Tensor::wrap(batch_first::<Opts::Layout>(y.as_tch())))
    }
}

impl<
        const M: usize,
        H: Count,
        const FF: usize,
        Opts: TransformerLayerOptions,
        E: Float,
        Dev: Device,
    > FeedForward<M, FF, E, Dev> for TransformerDecoderLayer<M, H, FF, Opts, E, Dev>
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

impl<A0, A1, M0, M1, const M: usize, H: Count, const FF: usize, Opts, E: Float, Dev: Device>
    DecoderBlock<Tensor<(A0, A1, D<M>), E, Dev>, Tensor<(M0, M1, D<M>), E, Dev>>
    for TransformerDecoderLayer<M, H, FF, Opts, E, Dev>
where
    A0: Dim,
    A1: Dim,
    M0: Dim,
    M1: Dim,
    Opts: TransformerLayerOptions,
    BatchOf<Opts::Layout, M0, M1>: SameBatch<BatchOf<Opts::Layout, A0, A1>>,
    D<M>: DimDiv<H::Dim>,
    D<3>: DimMul<D<M>>,
{
    type Masks = LayerDecoderMasks<Opts, A0, A1, M0, M1, E, Dev>;
    fn try_block(
        &self,
        x: Tensor<(A0, A1, D<M>), E, Dev>,
        memory: &Tensor<(M0, M1, D<M>), E, Dev>,
        masks: &Self::Masks,
    ) -> Result<Tensor<(A0, A1, D<M>), E, Dev>> {
        self.try_forward_masked(x, memory, masks)
    }
}

/// The decoder on `(target, memory)` without masks.
impl<A0, A1, M0, M1, const M: usize, H: Count, const FF: usize, Opts, E: Float, Dev: Device>
    LayerInput<TransformerDecoderLayer<M, H, FF, Opts, E, Dev>>
    for (
        Tensor<(A0, A1, D<M>), E, Dev>,
        &Tensor<(M0, M1, D<M>), E, Dev>,
    )
where
    A0: Dim,
    A1: Dim,
    M0: Dim,
    M1: Dim,
    Opts: TransformerLayerOptions,
    BatchOf<Opts::Layout, M0, M1>: SameBatch<BatchOf<Opts::Layout, A0, A1>>,
    D<M>: DimDiv<H::Dim>,
    D<3>: DimMul<D<M>>,
{
    type Output = Tensor<(A0, A1, D<M>), E, Dev>;
    #[track_caller]
    fn run(
        layer: &TransformerDecoderLayer<M, H, FF, Opts, E, Dev>,
        (x, memory): Self,
    ) -> Self::Output {
        layer.forward_masked(x, memory, &DecoderMasks::none())
    }
}
module_via_layer_input!([const M: usize, H: Count, const FF: usize, Opts: TransformerLayerOptions, E: Float, Dev: Device] TransformerDecoderLayer<M, H, FF, Opts, E, Dev> where D<M>: DimDiv<H::Dim>, D<3>: DimMul<D<M>>);

/// `torch.nn.TransformerDecoder(layer, N, norm)`: `N` copies of a decoder layer `L`, each
/// attending to the same memory, then `Norm` ([`Identity`] for none). Names `layers.0.*`...
/// and `norm.*`; `init` draws one layer and copies it, as PyTorch does.
#[derive(Debug, Clone, crate::nn::Module)]
#[module(manual_init)]
pub struct TransformerDecoder<L, const N: usize, Norm = Identity> {
    /// The layers, in order.
    pub layers: [L; N],
    /// The final norm.
    pub norm: Norm,
}

impl<L: Init + Params + Clone, const N: usize, Norm: Init> Init for TransformerDecoder<L, N, Norm> {
    fn init() -> Result<Self> {
        let layer = L::init()?;
        Ok(TransformerDecoder {
            layers: clones(&layer),
            norm: Norm::init()?,
        })
    }
}

impl<L, const N: usize, Norm> TransformerDecoder<L, N, Norm> {
    /// The stack on target `x` and `memory` under masks.
    ///
    /// # Panics
    ///
    /// At the caller's line, when `Dyn` sizes disagree.
    #[track_caller]
    pub fn forward_masked<X, Mem>(&self, x: X, memory: &Mem, masks: &L::Masks) -> X
    where
        L: DecoderBlock<X, Mem>,
        Norm: Module<X, Output = X>,
    {
        self.try_forward_masked(x, memory, masks)
            .unwrap_or_else(|e| fail(e))
    }

    /// The stack under masks, or the error of the first layer that refuses them.
    ///
    /// # Errors
    ///
    /// [`Error::Operands`](crate::Error::Operands) when `Dyn` sizes disagree.
    pub fn try_forward_masked<X, Mem>(&self, mut x: X, memory: &Mem, masks: &L::Masks) -> Result<X>
    where
        L: DecoderBlock<X, Mem>,
        Norm: Module<X, Output = X>,
    {
        for layer in &self.layers {
            x = layer.try_block(x, memory, masks)?;
        }
        Ok(self.norm.forward(x))
    }
}

#[diagnostic::do_not_recommend]
impl<'m, X, Mem, L, const N: usize, Norm> Module<(X, &'m Mem)> for TransformerDecoder<L, N, Norm>
where
    L: DecoderBlock<X, Mem>,
    L::Masks: Default,
    Norm: Module<X, Output = X>,
{
    type Output = X;
    #[track_caller]
    fn forward(&self, (x, memory): (X, &'m Mem)) -> X {
        self.forward_masked(x, memory, &L::Masks::default())
    }
}
