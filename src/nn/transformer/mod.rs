//! Transformers with `torch.nn`'s names and options: encoder and decoder layers, their stacks,
//! the whole encoder-decoder model, and positional encodings.
//!
//! Sequences are `(time, batch, features)` unless [`BatchFirst`](crate::options::BatchFirst) is
//! given, as in PyTorch; masks are typed values ([`AttnMask`], [`KeyPaddingMask`]) whose dims
//! follow from the input's, so a mask of the wrong static length does not compile.
mod decoder;
mod encoder;
mod model;
mod positional;

pub use decoder::{DecoderBlock, DecoderMasks, TransformerDecoder, TransformerDecoderLayer};
pub use encoder::{
    CachedEncoderBlock, EncoderBlock, EncoderMasks, TransformerEncoder, TransformerEncoderLayer,
};
pub use model::{Transformer, TransformerMasks};
pub use positional::{LearnedPositionalEncoding, SinusoidalPositionalEncoding};

use crate::dims::Dim;
use crate::nn::Params;
use crate::options::SeqLayout;

/// The batch dim of a sequence tensor whose first two dims are `A0`, `A1` in layout `L`.
pub(crate) type BatchOf<L, A0, A1> = <L as SeqLayout>::Batch<A0, A1>;
/// The time dim of a sequence tensor whose first two dims are `A0`, `A1` in layout `L`.
pub(crate) type TimeOf<L, A0, A1> = <L as SeqLayout>::Time<A0, A1>;

/// Holds when the two dims are the same type: a decoder's memory and target share their batch.
#[diagnostic::on_unimplemented(
    message = "the memory's batch dim `{Self}` is not the target's `{B}`",
    label = "the memory must have the target's batch dim",
    note = "a decoder attends from each target sequence to the memory of the same batch entry"
)]
pub trait SameBatch<B> {}
impl<X: Dim> SameBatch<X> for X {}

/// `x` as `(batch, time, features)`: itself in batch-first layout, else its first two dims
/// swapped.
pub(crate) fn batch_first<L: SeqLayout>(x: &tch::Tensor) -> tch::Tensor {
    if L::BATCH_FIRST {
        x.shallow_clone()
    } else {
        x.transpose(0, 1)
    }
}

/// `N` independent copies of `layer` (PyTorch's `_get_clones`: deep copies of one layer, so a
/// stack starts with equal layers, drawn once from the generator).
pub(crate) fn clones<L: Params + Clone, const N: usize>(layer: &L) -> [L; N] {
    core::array::from_fn(|_| {
        let mut copy = layer.clone();
        copy.for_each_tensor_mut(|_, t| {
            let requires_grad = t.requires_grad();
            *t = t.detach().copy().set_requires_grad(requires_grad);
        });
        copy
    })
}
