//! # Attention and Transformers
//!
//! typed-torch's attention and Transformer layers are `torch.nn`'s: the same parameters under the
//! same names (PyTorch's weights load strictly), the same options, the same initial values under
//! the same seed, and the same numbers (f64 outputs and every gradient within 1e-10 of PyTorch's,
//! in training and eval mode). What the types add: the model width, the heads, the feed-forward
//! width and every static sequence length are checked by the compiler, masks are typed values
//! sized by the sequences they mask, and a `Dyn` length that does not fit is an error naming the
//! sizes, not a broadcast.
//!
//! ## Attention
//!
//! [`MultiheadAttention<E, Heads<H>>`](crate::nn::MultiheadAttention) is batch first: queries
//! `(B, T, E)`, keys `(B, S, K)` and values `(B, S, V)`, where `K` and `V` are `E` unless
//! [`KDim<K>`](crate::options::KDim) or [`VDim<V>`](crate::options::VDim) is given (then the
//! projections are `q_proj_weight`, `k_proj_weight`, `v_proj_weight`, as in PyTorch). Heads that
//! do not divide `E` do not compile. Two ways to call it:
//!
//! * [`forward_masked`](crate::nn::MultiheadAttention::forward_masked) (or `forward` without
//!   masks) returns the output only, computed by libtorch's `scaled_dot_product_attention`
//!   (PyTorch's `need_weights=False`);
//! * [`attend_masked`](crate::nn::MultiheadAttention::attend_masked) also returns the attention
//!   weights averaged over heads `(B, T, S)`.
//!
//! Masks are [`AttnMask<T, S>`](crate::nn::AttnMask) (which of `S` keys each of `T` queries may
//! see) and [`KeyPaddingMask<B, S>`](crate::nn::KeyPaddingMask) (which keys of each sequence are
//! padding), made from booleans (`true` = ignore, PyTorch's convention) or from floats added to
//! the scores, and kept in PyTorch's canonical additive form:
//!
//! ```
//! use typed_torch::nn::{AttnMask, Init, KeyPaddingMask, MultiheadAttention};
//! use typed_torch::options::{Heads, KDim, VDim};
//! use typed_torch::{Dyn, Tensor, D};
//!
//! // Queries of width 16 attend to keys of width 6 and values of width 3.
//! let mha = MultiheadAttention::<16, Heads<4>, (KDim<6>, VDim<3>)>::init()?;
//! let q = Tensor::<(D<2>, D<5>, D<16>)>::randn();
//! let k = Tensor::<(D<2>, D<7>, D<6>)>::randn();
//! let v = Tensor::<(D<2>, D<7>, D<3>)>::randn();
//! // The second sequence's keys are 4 long, the rest padding.
//! let padding = KeyPaddingMask::<D<2>, D<7>>::from_lengths(&[7, 4])?;
//! let (out, weights) = mha.attend_masked(&q, &k, &v, None, Some(&padding));
//! assert_eq!(out.size(), [2, 5, 16]);
//! let padded: f32 = weights.narrow::<0, 1, 1>().narrow::<2, 4, 3>().sum_all().item();
//! assert_eq!(padded, 0.0); // no weight on padding
//! # Ok::<(), typed_torch::Error>(())
//! ```
//!
//! A mask whose static size is not the sequences' does not compile: an
//! `AttnMask::<D<4>, D<4>>::causal()` for a 5-step sequence is a type mismatch. With `Dyn`
//! lengths the sizes are compared at run time, and the `try_` forms return the error:
//!
//! ```
//! use typed_torch::nn::{AttnMask, EncoderMasks, Init, TransformerEncoderLayer};
//! use typed_torch::options::{BatchFirst, Heads};
//! use typed_torch::{Dyn, Error, Tensor, D};
//! let layer = TransformerEncoderLayer::<8, Heads<2>, 16, BatchFirst>::init()?;
//! let x = Tensor::<(Dyn, Dyn, D<8>)>::zeros_dyn(&[2, 5])?;
//! let masks = EncoderMasks { mask: Some(AttnMask::causal_dyn(4)), ..Default::default() };
//! let err = layer.try_forward_masked(x, &masks).unwrap_err();
//! assert!(matches!(err, Error::Operands { .. }));
//! assert!(err.to_string().contains("a mask of sizes [5, 5]"), "{err}");
//! # Ok::<(), typed_torch::Error>(())
//! ```
//!
//! ## Transformer layers
//!
//! | PyTorch | typed-torch |
//! | --- | --- |
//! | `nn.TransformerEncoderLayer(512, 8, 2048)` | `TransformerEncoderLayer<512, Heads<8>, 2048>` |
//! | `norm_first=True`, `activation="gelu"`, `batch_first=True` | options `NormFirst`, `Activation<GELU>`, `BatchFirst`, in any order |
//! | `dropout=0.0`, `layer_norm_eps=1e-6` | `.dropout(0.0)`, `.layer_norm_eps(1e-6)` (run-time) |
//! | `nn.TransformerDecoderLayer(512, 8, 2048)` | `TransformerDecoderLayer<512, Heads<8>, 2048>` |
//! | `nn.TransformerEncoder(layer, 6, norm=nn.LayerNorm(512))` | `TransformerEncoder<Layer, 6, LayerNorm<512>>` (`Identity` for no norm) |
//! | `nn.TransformerDecoder(layer, 6)` | `TransformerDecoder<Layer, 6>` |
//! | `nn.Transformer(512, 8, 6, 6, 2048)` | `Transformer<512, Heads<8>, 6, 6, 2048>` |
//! | `src_mask`, `src_key_padding_mask` | [`EncoderMasks`](crate::nn::EncoderMasks) `{ mask, key_padding }` |
//! | `tgt_mask`, `memory_mask`, `tgt_key_padding_mask`, `memory_key_padding_mask` | [`DecoderMasks`](crate::nn::DecoderMasks) |
//! | `Transformer.generate_square_subsequent_mask(n)` | `AttnMask::causal()` (static `n`), `AttnMask::causal_dyn(n)` |
//!
//! Sequences are `(time, batch, features)` unless `BatchFirst` is given, as in PyTorch; the masks'
//! dims follow the layout, so `EncoderMasks` for a batch-first `(D<2>, D<5>, D<32>)` input is
//! `EncoderMasks<D<2>, D<5>>`. A stack starts from copies of one layer, and `Transformer` then
//! re-draws every matrix Xavier-uniform, exactly as PyTorch does, so a seed gives PyTorch's
//! initial weights.
//!
//! ```
//! use typed_torch::nn::{AttnMask, DecoderMasks, Init, LayerNorm, Module, Params};
//! use typed_torch::nn::{TransformerDecoder, TransformerDecoderLayer, TransformerEncoder, TransformerEncoderLayer};
//! use typed_torch::options::{Activation, BatchFirst, Heads, NormFirst};
//! use typed_torch::nn::GELU;
//! use typed_torch::{Tensor, D};
//!
//! type Opts = (BatchFirst, NormFirst, Activation<GELU>);
//! type Encoder = TransformerEncoder<TransformerEncoderLayer<32, Heads<4>, 64, Opts>, 2, LayerNorm<32>>;
//! type Decoder = TransformerDecoder<TransformerDecoderLayer<32, Heads<4>, 64, Opts>, 2, LayerNorm<32>>;
//! let (encoder, decoder) = (Encoder::init()?, Decoder::init()?);
//! assert_eq!(decoder.param_names()[0], "layers.0.self_attn.in_proj_weight");
//! let source = Tensor::<(D<3>, D<9>, D<32>)>::randn(); // 3 sequences of 9 steps
//! let target = Tensor::<(D<3>, D<6>, D<32>)>::randn(); // and their 6-step targets
//! let memory = encoder.forward(source);
//! let masks = DecoderMasks { tgt_mask: Some(AttnMask::causal()), ..Default::default() };
//! let out: Tensor<(D<3>, D<6>, D<32>)> = decoder.forward_masked(target, &memory, &masks);
//! # Ok::<(), typed_torch::Error>(())
//! ```
//!
//! A decoder's memory must have the decoder's width and the target's batch; otherwise the call
//! does not compile (`forward_masked` says "the memory's batch dim `D<3>` is not the target's
//! `D<2>`"; `forward((target, &memory))` says the layer "cannot take" the pair, with their
//! sizes). The 22 compile-fail cases in `ui-tests/tests/fail/transformer` show each mistake's
//! message: heads that do not divide the width, masks of the wrong length or layout, a memory of
//! the wrong width or batch, options a layer does not take, and more.
//!
//! Positions: [`SinusoidalPositionalEncoding<MAX_LEN, M>`](crate::nn::SinusoidalPositionalEncoding)
//! (the fixed sinusoids, a buffer `pe`) or
//! [`LearnedPositionalEncoding<MAX_LEN, M>`](crate::nn::LearnedPositionalEncoding) (a parameter
//! per position), both added to the input; a sequence longer than `MAX_LEN` is an error.
//!
//! ## Decoding one step at a time: the key/value cache
//!
//! A decoder-only language model generates one token after another. Re-running the whole prefix
//! for every token costs a pass over all of it; with a [`KvCache`](crate::nn::KvCache) per
//! layer, each layer keeps the keys and values of the steps it has seen, and a new token costs one
//! position. [`TransformerEncoder::try_forward_cached`](crate::nn::TransformerEncoder::try_forward_cached)
//! is causal attention over the cache and the new steps, so its outputs are those of a causal
//! mask over the whole sequence:
//!
//! ```
//! use typed_torch::nn::{AttnMask, EncoderMasks, Init, Module, Params, TransformerEncoder, TransformerEncoderLayer};
//! use typed_torch::options::{BatchFirst, Heads, NormFirst};
//! use typed_torch::{Dyn, Tensor, D};
//! type Layer = TransformerEncoderLayer<16, Heads<2>, 32, (BatchFirst, NormFirst), f64>;
//! let mut stack = TransformerEncoder::<Layer, 2>::init()?;
//! stack.set_train(false);
//! let x = Tensor::<(D<1>, Dyn, D<16>), f64>::randn_dyn(&[9])?;
//! let masks = EncoderMasks { mask: Some(AttnMask::causal_dyn(9)), ..Default::default() };
//! let whole = stack.forward_masked(x.clone(), &masks);
//! let mut caches = TransformerEncoder::<Layer, 2>::new_caches();
//! let _prompt = stack.try_forward_cached(x.narrow_dyn::<1>(0, 8)?, &mut caches)?;
//! let last = stack.try_forward_cached(x.narrow_dyn::<1>(8, 1)?, &mut caches)?;
//! let diff = (last - whole.narrow_dyn::<1>(8, 1)?).abs().sum_all().item();
//! assert!(diff < 1e-12);
//! # Ok::<(), typed_torch::Error>(())
//! ```
//!
//! `typed_torch_models::char_gpt` is such a model over characters (4 pre-norm blocks of width
//! 128, learned positions, a context of 128), and `cargo run --release --example char_gpt`
//! trains it on the same text as the recurrent `char_lm` and generates with and without the
//! caches; a test checks that both give the same characters, window restarts included.
