//! Attention masks as typed values: which keys each query may see (`(T, S)`), and which keys of
//! each sequence are padding (`(B, S)`). Both are kept in PyTorch's canonical form, an additive
//! float mask (0 where attention is allowed, -inf where it is not), whichever form they were
//! made from.
use crate::device::{Cpu, Device};
use crate::dims::{Dim, Dyn, D};
use crate::element::Float;
use crate::error::{Error, Result};
use crate::tensor::Tensor;

/// A mask of which of `S` keys each of `T` queries may attend to (PyTorch's `attn_mask`), as the
/// float added to the attention scores.
///
/// ```
/// use typed_torch::nn::AttnMask;
/// use typed_torch::{Tensor, D};
/// // Each of 3 positions sees itself and the ones before it.
/// let causal = AttnMask::<D<3>, D<3>>::causal();
/// assert_eq!(causal.additive().to_vec()[1], f32::NEG_INFINITY);
/// // The same from a boolean mask, `true` where attention is not allowed (PyTorch's convention).
/// let (f, t) = (false, true);
/// let ignore = Tensor::<(D<3>, D<3>), bool>::from_array([[f, t, t], [f, f, t], [f, f, f]]);
/// assert_eq!(AttnMask::<D<3>, D<3>>::from_bool(&ignore).additive().to_vec(), causal.additive().to_vec());
/// ```
#[derive(Debug, Clone)]
pub struct AttnMask<T: Dim, S: Dim, E: Float = f32, Dev: Device = Cpu> {
    additive: Tensor<(T, S), E, Dev>,
}

impl<T: Dim, S: Dim, E: Float, Dev: Device> AttnMask<T, S, E, Dev> {
    /// From a boolean mask, `true` where a query may not attend to a key.
    pub fn from_bool(ignore: &Tensor<(T, S), bool, Dev>) -> Self {
        AttnMask {
            additive: Tensor::wrap(to_additive::<E>(ignore.as_tch())),
        }
    }

    /// From a float mask added to the attention scores (`-inf` forbids, other values bias).
    pub fn additive_from(mask: Tensor<(T, S), E, Dev>) -> Self {
        AttnMask { additive: mask }
    }

    /// The mask as added to the scores.
    pub fn additive(&self) -> &Tensor<(T, S), E, Dev> {
        &self.additive
    }
}

impl<const N: usize, E: Float, Dev: Device> AttnMask<D<N>, D<N>, E, Dev> {
    /// The causal mask of `N` positions: each query sees its own position and the earlier ones
    /// (PyTorch's `nn.Transformer.generate_square_subsequent_mask(N)`).
    pub fn causal() -> Self {
        AttnMask {
            additive: Tensor::wrap(causal_tensor::<E, Dev>(N)),
        }
    }
}

impl<T: Dim, E: Float, Dev: Device> AttnMask<T, T, E, Dev> {
    /// The causal mask of `len` positions for a time dim `T`, static or not (generic code over
    /// `T`).
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] when `T` is static and not `len`.
    pub fn try_causal(len: usize) -> Result<Self> {
        if T::STATIC.is_some_and(|n| n != len) {
            return Err(Error::Shape {
                expected: format!("a causal mask of {} steps", T::STATIC.unwrap_or(0)),
                found: vec![len as i64, len as i64],
            });
        }
        Ok(AttnMask {
            additive: Tensor::wrap(causal_tensor::<E, Dev>(len)),
        })
    }
}

impl<E: Float, Dev: Device> AttnMask<Dyn, Dyn, E, Dev> {
    /// The causal mask of `len` positions, for sequences whose length is known at run time.
    pub fn causal_dyn(len: usize) -> Self {
        AttnMask {
            additive: Tensor::wrap(causal_tensor::<E, Dev>(len)),
        }
    }
}

/// Which of the `S` keys of each of `B` sequences are padding (PyTorch's `key_padding_mask`), as
/// the float added to their scores.
///
/// ```
/// use typed_torch::nn::KeyPaddingMask;
/// use typed_torch::{Dyn, D};
/// // Two sequences of 4 slots, the second only 2 long.
/// let pad = KeyPaddingMask::<Dyn, D<4>>::from_lengths(&[4, 2]).unwrap();
/// assert_eq!(pad.additive().to_vec()[6], f32::NEG_INFINITY);
/// assert!(KeyPaddingMask::<Dyn, D<4>>::from_lengths(&[5]).is_err());
/// ```
#[derive(Debug, Clone)]
pub struct KeyPaddingMask<B: Dim, S: Dim, E: Float = f32, Dev: Device = Cpu> {
    additive: Tensor<(B, S), E, Dev>,
}

impl<B: Dim, S: Dim, E: Float, Dev: Device> KeyPaddingMask<B, S, E, Dev> {
    /// From a boolean mask, `true` at padding keys.
    pub fn from_bool(padding: &Tensor<(B, S), bool, Dev>) -> Self {
        KeyPaddingMask {
            additive: Tensor::wrap(to_additive::<E>(padding.as_tch())),
        }
    }

    /// From a float mask added to the scores of each sequence's keys.
    pub fn additive_from(mask: Tensor<(B, S), E, Dev>) -> Self {
        KeyPaddingMask { additive: mask }
    }

    /// The mask as added to the scores.
    pub fn additive(&self) -> &Tensor<(B, S), E, Dev> {
        &self.additive
    }

    /// Padding after each sequence's length: `lengths[b]` keys of sequence `b` are real, the rest
    /// of the `S` slots padding. `S` is the longest length unless it is static.
    ///
    /// # Errors
    ///
    /// [`Error::SequenceLengths`] for a length of 0 or past a static `S`, or
    /// [`Error::Shape`] when a static `B` is not the number of lengths.
    pub fn from_lengths(lengths: &[usize]) -> Result<Self> {
        let longest = lengths.iter().copied().max().unwrap_or(0);
        let slots = S::STATIC.unwrap_or(longest);
        if lengths.iter().any(|&l| l == 0 || l > slots) {
            return Err(Error::SequenceLengths {
                batch: lengths.len(),
                steps: slots,
                found: lengths.iter().map(|&l| l as i64).collect(),
            });
        }
        if B::STATIC.is_some_and(|b| b != lengths.len()) {
            return Err(Error::Shape {
                expected: format!("{} lengths (the batch)", B::STATIC.unwrap_or(0)),
                found: vec![lengths.len() as i64],
            });
        }
        let positions = tch::Tensor::arange(slots as i64, (tch::Kind::Int64, Dev::tch()));
        let lengths: Vec<i64> = lengths.iter().map(|&l| l as i64).collect();
        let lengths = tch::Tensor::from_slice(&lengths).to_device(Dev::tch());
        let padding = positions.unsqueeze(0).ge_tensor(&lengths.unsqueeze(1));
        Ok(KeyPaddingMask {
            additive: Tensor::wrap(to_additive::<E>(&padding)),
        })
    }
}

/// `-inf` where `ignore` is true, 0 elsewhere (PyTorch's `_canonical_mask`).
fn to_additive<E: Float>(ignore: &tch::Tensor) -> tch::Tensor {
    ignore
        .zeros_like()
        .to_kind(E::DTYPE)
        .masked_fill(ignore, f64::NEG_INFINITY)
}

/// `(len, len)`, `-inf` above the diagonal.
fn causal_tensor<E: Float, Dev: Device>(len: usize) -> tch::Tensor {
    let n = len as i64;
    let ones = tch::Tensor::ones([n, n], (tch::Kind::Bool, Dev::tch()));
    to_additive::<E>(&ones.triu(1))
}
