//! A character-level language model: embedding, a 2-layer recurrent stack, a linear read-out.
use typed_torch::nn::{Embedding, Gru, Linear, Lstm, Module};
use typed_torch::options::{BatchFirst, NumLayers};
use typed_torch::{Cpu, Device, Dim, Float, Tensor, D};

/// Character ids the model takes: texts with more distinct characters are refused.
pub const VOCAB: usize = 128;
/// Width of a character's embedding.
pub const EMBED: usize = 64;
/// Hidden units of each recurrent layer.
pub const HIDDEN: usize = 128;

/// Predicts each next character of `(B, T)` ids as `(B, T, D<VOCAB>)` logits; `R` is the
/// recurrent stack ([`LstmLm`] or [`GruLm`]). Parameter names match a `torch.nn` module with
/// fields `embed`, `rnn` and `head`.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch_models::char_lm::{GruLm, VOCAB};
/// let lm = GruLm::init().unwrap();
/// let ids = Tensor::<(D<2>, D<16>), i64>::zeros();
/// let logits: Tensor<(D<2>, D<16>, D<VOCAB>)> = lm.forward(ids);
/// ```
#[derive(Debug, Clone, typed_torch::nn::Module)]
pub struct CharLm<R, E: Float = f32, Dev: Device = Cpu> {
    /// One vector per character id.
    pub embed: Embedding<VOCAB, EMBED, E, Dev>,
    /// Reads the sequence.
    pub rnn: R,
    /// Scores every character id at every step.
    pub head: Linear<HIDDEN, VOCAB, (), E, Dev>,
}

/// [`CharLm`] on a 2-layer LSTM.
pub type LstmLm = CharLm<Lstm<EMBED, HIDDEN, (NumLayers<2>, BatchFirst)>>;
/// [`CharLm`] on a 2-layer GRU.
pub type GruLm = CharLm<Gru<EMBED, HIDDEN, (NumLayers<2>, BatchFirst)>>;

impl<R, B: Dim, T: Dim, E: Float, Dev: Device> Module<Tensor<(B, T), i64, Dev>>
    for CharLm<R, E, Dev>
where
    R: Module<Tensor<(B, T, D<EMBED>), E, Dev>, Output = Tensor<(B, T, D<HIDDEN>), E, Dev>>,
{
    type Output = Tensor<(B, T, D<VOCAB>), E, Dev>;
    fn forward(&self, ids: Tensor<(B, T), i64, Dev>) -> Self::Output {
        self.head.forward(self.rnn.forward(self.embed.forward(ids)))
    }
}
