//! `Transformer`: the encoder-decoder model of "Attention Is All You Need".
use super::{BatchOf, DecoderMasks, EncoderMasks, SameBatch, TimeOf};
use super::{
    TransformerDecoder, TransformerDecoderLayer, TransformerEncoder, TransformerEncoderLayer,
};
use crate::device::{Cpu, Device};
use crate::dims::{Dim, DimDiv, DimMul, D};
use crate::element::Float;
use crate::error::Result;
use crate::explain::fail;
use crate::nn::{Init, LayerNorm, Module, Params};
use crate::options::{Count, TransformerLayerOptions};
use crate::tensor::Tensor;

/// The masks of a Transformer pass: the encoder's over the source (`S` steps) and the decoder's
/// over the target (`T` steps) and the memory, in batches of `B`.
#[derive(Debug, Clone)]
pub struct TransformerMasks<B: Dim, S: Dim, T: Dim, E: Float = f32, Dev: Device = Cpu> {
    /// PyTorch's `src_mask` and `src_key_padding_mask`.
    pub encoder: EncoderMasks<B, S, E, Dev>,
    /// PyTorch's `tgt_mask`, `memory_mask`, `tgt_key_padding_mask` and
    /// `memory_key_padding_mask`.
    pub decoder: DecoderMasks<B, T, S, E, Dev>,
}

impl<B: Dim, S: Dim, T: Dim, E: Float, Dev: Device> Default for TransformerMasks<B, S, T, E, Dev> {
    fn default() -> Self {
        TransformerMasks {
            encoder: EncoderMasks::none(),
            decoder: DecoderMasks::none(),
        }
    }
}

/// The encoder stack of a [`Transformer`].
pub type EncoderOf<const M: usize, H, const ENC: usize, const FF: usize, Opts, E, Dev> =
    TransformerEncoder<
        TransformerEncoderLayer<M, H, FF, Opts, E, Dev>,
        ENC,
        LayerNorm<M, (), E, Dev>,
    >;
/// The decoder stack of a [`Transformer`].
pub type DecoderOf<const M: usize, H, const DEC: usize, const FF: usize, Opts, E, Dev> =
    TransformerDecoder<
        TransformerDecoderLayer<M, H, FF, Opts, E, Dev>,
        DEC,
        LayerNorm<M, (), E, Dev>,
    >;

/// `torch.nn.Transformer(M, nhead, ENC, DEC, FF)`, the sizes in PyTorch's positional order
/// (`Transformer<512, Heads<8>, 6, 6, 2048>` is PyTorch's default model): an encoder of `ENC`
/// layers and a decoder of `DEC` layers, each stack ending in a `LayerNorm`. Options as the
/// layers' ([`NormFirst`](crate::options::NormFirst),
/// [`Activation`](crate::options::Activation), [`BatchFirst`](crate::options::BatchFirst));
/// `dropout` and `layer_norm_eps` are run-time settings. Initialised as PyTorch does: each stack
/// from copies of one layer, then every matrix Xavier-uniform. Names `encoder.*`, `decoder.*`.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{AttnMask, Init, Module, Transformer, TransformerMasks};
/// use typed_torch::options::BatchFirst;
/// use typed_torch::{Tensor, D};
/// let model = Transformer::<16, Heads<2>, 2, 2, 32, BatchFirst>::init()?.dropout(0.0);
/// let src = Tensor::<(D<3>, D<7>, D<16>)>::randn();
/// let tgt = Tensor::<(D<3>, D<5>, D<16>)>::randn();
/// let y: Tensor<(D<3>, D<5>, D<16>)> = model.forward((src.clone(), tgt.clone()));
/// let mut masks = TransformerMasks::default();
/// masks.decoder.tgt_mask = Some(AttnMask::causal());
/// let causal = model.forward_masked(src, tgt, &masks);
/// # Ok::<(), typed_torch::Error>(())
/// ```
#[derive(Debug, Clone, crate::nn::Module)]
#[module(manual_init)]
pub struct Transformer<
    const M: usize,
    H: Count,
    const ENC: usize,
    const DEC: usize,
    const FF: usize,
    Opts: TransformerLayerOptions = (),
    E: Float = f32,
    Dev: Device = Cpu,
> where
    D<M>: DimDiv<H::Dim>,
    D<3>: DimMul<D<M>>,
{
    /// The encoder: `ENC` layers and a final norm.
    pub encoder: EncoderOf<M, H, ENC, FF, Opts, E, Dev>,
    /// The decoder: `DEC` layers and a final norm.
    pub decoder: DecoderOf<M, H, DEC, FF, Opts, E, Dev>,
}

impl<
        const M: usize,
        H: Count,
        const ENC: usize,
        const DEC: usize,
        const FF: usize,
        Opts,
        E,
        Dev,
    > Init for Transformer<M, H, ENC, DEC, FF, Opts, E, Dev>
where
    H: Clone,
    Opts: TransformerLayerOptions + Clone,
    E: Float,
    Dev: Device,
    D<M>: DimDiv<H::Dim>,
    D<3>: DimMul<D<M>>,
{
    fn init() -> Result<Self> {
        let mut model = Transformer {
            encoder: TransformerEncoder::init()?,
            decoder: TransformerDecoder::init()?,
        };
        // PyTorch's `_reset_parameters`: every matrix Xavier-uniform, in parameter order.
        crate::no_grad(|| {
            model.for_each_param_mut(|_, p| {
                if let [fan_out, fan_in] = p.size()[..] {
                    let bound = (6.0 / (fan_in + fan_out) as f64).sqrt();
                    let _ = p.uniform_(-bound, bound);
                }
            })
        });
        Ok(model)
    }
}

impl<
        const M: usize,
        H: Count,
        const ENC: usize,
        const DEC: usize,
        const FF: usize,
        Opts,
        E,
        Dev,
    > Transformer<M, H, ENC, DEC, FF, Opts, E, Dev>
where
    Opts: TransformerLayerOptions,
    E: Float,
    Dev: Device,
    D<M>: DimDiv<H::Dim>,
    D<3>: DimMul<D<M>>,
{
    /// Sets the dropout probability of every layer (PyTorch's `dropout`, 0.1 by default).
    pub fn dropout(mut self, p: f64) -> Self {
        self.encoder.layers = self.encoder.layers.map(|l| l.dropout(p));
        self.decoder.layers = self.decoder.layers.map(|l| l.dropout(p));
        self
    }

    /// Sets every norm's `eps` (PyTorch's `layer_norm_eps`, 1e-5 by default).
    pub fn layer_norm_eps(mut self, eps: f64) -> Self {
        self.encoder.layers = self.encoder.layers.map(|l| l.layer_norm_eps(eps));
        self.decoder.layers = self.decoder.layers.map(|l| l.layer_norm_eps(eps));
        self.encoder.norm.eps = eps;
        self.decoder.norm.eps = eps;
        self
    }

    /// The model on a source and a target under masks: the decoder's output for the target.
    ///
    /// # Panics
    ///
    /// At the caller's line, when `Dyn` sizes disagree.
    #[track_caller]
    #[allow(clippy::type_complexity)]
    pub fn forward_masked<S0: Dim, S1: Dim, T0: Dim, T1: Dim>(
        &self,
        src: Tensor<(S0, S1, D<M>), E, Dev>,
        tgt: Tensor<(T0, T1, D<M>), E, Dev>,
        masks: &ModelMasks<Opts, S0, S1, T0, T1, E, Dev>,
    ) -> Tensor<(T0, T1, D<M>), E, Dev>
    where
        BatchOf<Opts::Layout, S0, S1>: SameBatch<BatchOf<Opts::Layout, T0, T1>>,
    {
        self.try_forward_masked(src, tgt, masks)
            .unwrap_or_else(|e| fail(e))
    }

    /// [`forward_masked`](Self::forward_masked), returning an error when `Dyn` sizes disagree.
    ///
    /// # Errors
    ///
    /// [`Error::Operands`](crate::Error::Operands) with the sizes that do not fit.
    #[allow(clippy::type_complexity)]
    pub fn try_forward_masked<S0: Dim, S1: Dim, T0: Dim, T1: Dim>(
        &self,
        src: Tensor<(S0, S1, D<M>), E, Dev>,
        tgt: Tensor<(T0, T1, D<M>), E, Dev>,
        masks: &ModelMasks<Opts, S0, S1, T0, T1, E, Dev>,
    ) -> Result<Tensor<(T0, T1, D<M>), E, Dev>>
    where
        BatchOf<Opts::Layout, S0, S1>: SameBatch<BatchOf<Opts::Layout, T0, T1>>,
    {
        // The masks are typed by the target's batch; the source's is the same type.
        let encoder_masks = EncoderMasks {
            mask: masks.encoder.mask.clone(),
            key_padding: masks.encoder.key_padding.as_ref().map(|p| {
                crate::nn::KeyPaddingMask::additive_from(Tensor::wrap(
                    p.additive().as_tch().shallow_clone(),
                ))
            }),
        };
        let memory = self.encoder.try_forward_masked(src, &encoder_masks)?;
        self.decoder
            .try_forward_masked(tgt, &memory, &masks.decoder)
    }
}

/// The masks of a [`Transformer`] for a source whose first dims are `S0`, `S1` and a target
/// whose first dims are `T0`, `T1` (batch typed by the target's).
pub type ModelMasks<Opts, S0, S1, T0, T1, E, Dev> = TransformerMasks<
    BatchOf<<Opts as TransformerLayerOptions>::Layout, T0, T1>,
    TimeOf<<Opts as TransformerLayerOptions>::Layout, S0, S1>,
    TimeOf<<Opts as TransformerLayerOptions>::Layout, T0, T1>,
    E,
    Dev,
>;

/// The model on `(source, target)` without masks.
#[diagnostic::do_not_recommend]
impl<
        S0,
        S1,
        T0,
        T1,
        const M: usize,
        H,
        const ENC: usize,
        const DEC: usize,
        const FF: usize,
        Opts,
        E,
        Dev,
    >
    Module<(
        Tensor<(S0, S1, D<M>), E, Dev>,
        Tensor<(T0, T1, D<M>), E, Dev>,
    )> for Transformer<M, H, ENC, DEC, FF, Opts, E, Dev>
where
    S0: Dim,
    S1: Dim,
    T0: Dim,
    T1: Dim,
    H: Count,
    Opts: TransformerLayerOptions,
    E: Float,
    Dev: Device,
    BatchOf<Opts::Layout, S0, S1>: SameBatch<BatchOf<Opts::Layout, T0, T1>>,
    D<M>: DimDiv<H::Dim>,
    D<3>: DimMul<D<M>>,
{
    type Output = Tensor<(T0, T1, D<M>), E, Dev>;
    #[track_caller]
    fn forward(
        &self,
        (src, tgt): (
            Tensor<(S0, S1, D<M>), E, Dev>,
            Tensor<(T0, T1, D<M>), E, Dev>,
        ),
    ) -> Self::Output {
        self.forward_masked(src, tgt, &TransformerMasks::default())
    }
}
