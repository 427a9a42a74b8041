//! A decoder-only Transformer language model over characters (a small GPT): token and learned
//! position embeddings, pre-norm blocks with causal self-attention, a final norm and a read-out,
//! and generation with a key/value cache.
use typed_torch::nn::{
    AttnMask, Embedding, EncoderMasks, KvCache, LayerNorm, LearnedPositionalEncoding, Linear,
    Module, TransformerEncoder, TransformerEncoderLayer, GELU,
};
use typed_torch::options::{Activation, BatchFirst, Heads, NormFirst};
use typed_torch::{Cpu, Device, Dim, Dyn, Error, Float, Result, Tensor, D};

/// Character ids the model takes (the corpus reader's ids; texts with more are refused).
pub const VOCAB: usize = 128;
/// Positions the model can attend over: the training windows' length.
pub const CONTEXT: usize = 128;
/// The model width.
pub const WIDTH: usize = 128;
/// Blocks stacked.
pub const LAYERS: usize = 4;

/// One block: pre-norm causal self-attention (4 heads) and a GELU feed-forward of `4 x WIDTH`.
pub type Block<E, Dev> = TransformerEncoderLayer<
    WIDTH,
    Heads<4>,
    512,
    (BatchFirst, NormFirst, Activation<GELU>),
    E,
    Dev,
>;

/// The blocks and the final norm.
pub type Blocks<E, Dev> = TransformerEncoder<Block<E, Dev>, LAYERS, LayerNorm<WIDTH, (), E, Dev>>;

/// Predicts each next character of `(B, T)` ids (`T <= CONTEXT`) as `(B, T, VOCAB)` logits, each
/// position seeing only the ones before it. Parameter names: `embed.weight`,
/// `position.weight`, `blocks.layers.0.*`..., `blocks.norm.*`, `head.*`.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch_models::char_gpt::{CharGpt, VOCAB};
/// let gpt = CharGpt::<f32, Cpu>::init().unwrap();
/// let ids = Tensor::<(D<2>, D<16>), i64>::zeros();
/// let logits: Tensor<(D<2>, D<16>, D<VOCAB>)> = gpt.forward(ids);
/// ```
#[derive(Debug, Clone, typed_torch::nn::Module)]
pub struct CharGpt<E: Float = f32, Dev: Device = Cpu> {
    /// One vector per character id.
    pub embed: Embedding<VOCAB, WIDTH, E, Dev>,
    /// One vector per position.
    pub position: LearnedPositionalEncoding<CONTEXT, WIDTH, BatchFirst, E, Dev>,
    /// The Transformer blocks and the final norm.
    pub blocks: Blocks<E, Dev>,
    /// Scores every character id at every position.
    pub head: Linear<WIDTH, VOCAB, (), E, Dev>,
}

impl<B: Dim, T: Dim, E: Float, Dev: Device> Module<Tensor<(B, T), i64, Dev>> for CharGpt<E, Dev> {
    type Output = Tensor<(B, T, D<VOCAB>), E, Dev>;
    /// # Panics
    ///
    /// At the caller's line, for more than `CONTEXT` positions.
    #[track_caller]
    fn forward(&self, ids: Tensor<(B, T), i64, Dev>) -> Self::Output {
        let steps = ids.size()[1];
        let x = self
            .position
            .try_forward(&self.embed.forward(ids))
            .unwrap_or_else(|e| panic!("{e}"));
        let masks = EncoderMasks {
            mask: Some(AttnMask::try_causal(steps).expect("the mask has the input's length")),
            key_padding: None,
        };
        self.head.forward(self.blocks.forward_masked(x, &masks))
    }
}

impl<E: Float, Dev: Device> CharGpt<E, Dev> {
    /// One cache per block, empty: a new sequence.
    pub fn new_caches() -> [KvCache; LAYERS] {
        Blocks::<E, Dev>::new_caches()
    }

    /// The logits of `T` new ids `(B, T)` that follow the steps `caches` hold: each new id is
    /// embedded at its position after them, attends to them and to the new ids before it, and
    /// joins the caches. From empty caches this is [`forward`](Module::forward); a step costs
    /// one position, not a re-run of the prefix.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] past `CONTEXT` positions; [`Error::Operands`] for a batch that is not
    /// the cached one.
    pub fn try_forward_cached<B: Dim, T: Dim>(
        &self,
        ids: Tensor<(B, T), i64, Dev>,
        caches: &mut [KvCache; LAYERS],
    ) -> Result<Tensor<(B, T, D<VOCAB>), E, Dev>> {
        let start = caches[0].len();
        let x = self
            .position
            .try_forward_from(&self.embed.forward(ids), start)?;
        Ok(self
            .head
            .forward(self.blocks.try_forward_cached(x, caches)?))
    }
}

/// How [`generate`] computes each step's logits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoding {
    /// With key/value caches: one position per step.
    Cached,
    /// Re-running the whole window every step (the reference the cache must equal).
    Uncached,
}

/// Continues `prompt` (at least one id) by `count` ids, each drawn from the model's next-id
/// distribution at `temperature` with libtorch's generator. When the window reaches `CONTEXT`
/// positions it restarts from its last `CONTEXT / 2` ids, in both decodings, so that they
/// compute the same thing.
///
/// # Errors
///
/// [`Error::Invalid`] for an empty prompt or an id outside the vocabulary.
pub fn generate<E: Float>(
    model: &CharGpt<E, Cpu>,
    prompt: &[i64],
    count: usize,
    temperature: f64,
    decoding: Decoding,
) -> Result<Vec<i64>> {
    if prompt.is_empty() || prompt.iter().any(|&i| !(0..VOCAB as i64).contains(&i)) {
        return Err(Error::Invalid(format!(
            "a prompt of at least one id in 0..{VOCAB}, found {prompt:?}"
        )));
    }
    let keep = CONTEXT / 2;
    let start = prompt.len().saturating_sub(keep);
    let mut window: Vec<i64> = prompt[start..].to_vec();
    let mut caches = CharGpt::<E, Cpu>::new_caches();
    // The ids to feed next: the whole window at first and after a restart, then one.
    let mut pending = window.clone();
    let mut out = Vec::with_capacity(count);
    typed_torch::no_grad(|| -> Result<()> {
        for _ in 0..count {
            let ids = Tensor::<(D<1>, Dyn), i64>::from_slice_dyn(&pending, &[pending.len()])?;
            let logits = match decoding {
                Decoding::Cached => model.try_forward_cached(ids, &mut caches)?,
                Decoding::Uncached => {
                    let all = Tensor::<(D<1>, Dyn), i64>::from_slice_dyn(&window, &[window.len()])?;
                    model.forward(all)
                }
            };
            let last = logits.as_tch().get(0).get(-1) / temperature.max(1e-3);
            let next = last
                .softmax(0, typed_torch::tch::Kind::Double)
                .multinomial(1, true)
                .int64_value(&[0]);
            out.push(next);
            window.push(next);
            pending = vec![next];
            if window.len() == CONTEXT {
                window.drain(..CONTEXT - keep);
                pending = window.clone();
                caches = CharGpt::<E, Cpu>::new_caches();
            }
        }
        Ok(())
    })?;
    Ok(out)
}
