//! `KvCache`: the keys and values a self-attention layer has computed, kept between decoding
//! steps.
use crate::error::Result;
use crate::explain::{refuse, Needs};

/// The keys and values one self-attention layer has seen, `(B, heads, steps, head dim)` each,
/// for decoding a sequence one step at a time (see
/// [`MultiheadAttention::forward_cached`](crate::nn::MultiheadAttention::forward_cached)).
#[derive(Debug, Default)]
pub struct KvCache {
    keys: Option<tch::Tensor>,
    values: Option<tch::Tensor>,
}

impl KvCache {
    /// An empty cache.
    pub fn new() -> Self {
        KvCache::default()
    }

    /// The number of steps cached.
    pub fn len(&self) -> usize {
        self.keys.as_ref().map_or(0, |k| k.size()[2] as usize)
    }

    /// Whether no step is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets every step (a new sequence).
    pub fn clear(&mut self) {
        self.keys = None;
        self.values = None;
    }

    /// Appends new keys and values (`(B, H, T, hd)`) and returns all of them; `input` is the
    /// layer's input, named in the error when its batch is not the cached one.
    pub(crate) fn append(
        &mut self,
        keys: tch::Tensor,
        values: tch::Tensor,
        input: &tch::Tensor,
    ) -> Result<(tch::Tensor, tch::Tensor)> {
        let (keys, values) = match (&self.keys, &self.values) {
            (Some(k), Some(v)) => {
                if k.size()[0] != keys.size()[0] {
                    let cached = k.select(1, 0).transpose(0, 1);
                    return Err(refuse(
                        "MultiheadAttention::forward_cached",
                        &[input, &cached],
                        Needs::Equal("the cached batch size"),
                    ));
                }
                (
                    tch::Tensor::cat(&[k, &keys], 2),
                    tch::Tensor::cat(&[v, &values], 2),
                )
            }
            _ => (keys, values),
        };
        self.keys = Some(keys.shallow_clone());
        self.values = Some(values.shallow_clone());
        Ok((keys, values))
    }
}
