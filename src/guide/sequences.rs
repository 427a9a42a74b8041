//! # Sequences: RNN, LSTM and GRU
//!
//! [`Rnn`](crate::nn::Rnn), [`Lstm`](crate::nn::Lstm) and [`Gru`](crate::nn::Gru) are whole
//! stacks run by one call to libtorch's fused kernels (cuDNN on CUDA), with PyTorch's weights,
//! parameter names (`weight_ih_l0`, `weight_hh_l1_reverse`, `weight_hr_l0`) and initialisation, so
//! their checkpoints move both ways. The cells [`RnnCell`](crate::nn::RnnCell),
//! [`LstmCell`](crate::nn::LstmCell) and [`GruCell`](crate::nn::GruCell) take one step, for loops
//! written by hand.
//!
//! ## A stack's type: sizes, then options
//!
//! `nn.LSTM(28, 64, num_layers=2, bidirectional=True, batch_first=True)` is
//! `Lstm<28, 64, (NumLayers<2>, Bidirectional, BatchFirst)>`. Options: `NumLayers<N>`,
//! `Bidirectional`, `BatchFirst`, `NoBias`, `ProjSize<P>` (LSTM only) and `Nonlinearity<ReLU>`
//! (RNN only); dropout between layers is a run-time value, `.dropout(0.2)`.
//!
//! ## Layouts and shapes
//!
//! Like PyTorch, a stack reads `(T, B, D<I>)` by default and `(B, T, D<I>)` with `BatchFirst`;
//! either of `T` and `B` may be static or `Dyn`. The output keeps the input's first two dims and
//! has `H x directions` features (`proj_size x directions` with `ProjSize`), computed by the
//! compiler, so a layer stacked after a bidirectional one must take `2H` inputs:
//!
//! ```
//! use typed_torch::prelude::*;
//!
//! type Encoder = HList![Lstm<28, 64, (Bidirectional, BatchFirst)>, Gru<128, 32, BatchFirst>];
//! let net = Encoder::init().unwrap();
//! let rows = Tensor::<(Dyn, D<28>, D<28>)>::zeros_dyn(&[8]).unwrap(); // 8 digits, 28 rows each
//! let y: Tensor<(Dyn, D<28>, D<32>)> = net.forward(rows);
//! ```
//!
//! Writing `Gru<64, 32, BatchFirst>` there instead does not compile: "`Gru<64, 32, BatchFirst>`
//! cannot take `Tensor<(Dyn, D<28>, D<128>)>` as input".
//!
//! ## States
//!
//! `forward` starts from zeros and returns the outputs, so a stack sits in an HList like any
//! layer. `forward_with_state` takes an optional initial state and returns the final one with
//! the outputs, PyTorch's `output, (h_n, c_n)`: an [`LstmState`](crate::nn::LstmState) `{ h, c }`
//! (in that order) or a [`HiddenState`](crate::nn::HiddenState) `{ h }`, each
//! `(layers x directions, B, hidden)`, typed from the layer and the input. Feeding the state back
//! carries a sequence across calls:
//!
//! ```
//! use typed_torch::prelude::*;
//!
//! let lstm = Lstm::<4, 8, NumLayers<2>>::init().unwrap();
//! let first = Tensor::<(D<10>, D<3>, D<4>)>::randn();
//! let (_, state) = lstm.forward_with_state(first, None);
//! let _: &Tensor<(D<2>, D<3>, D<8>)> = &state.h;
//! let next = Tensor::<(D<10>, D<3>, D<4>)>::randn();
//! let (out, state) = lstm.forward_with_state(next, Some(&state));
//! assert_eq!(out.size(), [10, 3, 8]);
//! ```
//!
//! ## Variable lengths
//!
//! A padded batch of sequences of different lengths runs with `forward_packed`, which has
//! PyTorch's `pack_padded_sequence` semantics: each sequence runs for its own length (given on
//! the CPU as `i64`, in any order), outputs past it are zero, and its final state is the one at
//! its last step, in both directions. Lengths that do not fit the batch are an error naming them:
//!
//! ```
//! use typed_torch::prelude::*;
//! use typed_torch::Error;
//!
//! let gru = Gru::<4, 8, (Bidirectional, BatchFirst)>::init().unwrap();
//! let padded = Tensor::<(Dyn, D<6>, D<4>)>::randn_dyn(&[3]).unwrap();
//! let lengths = Tensor::<(Dyn,), i64>::from_slice_dyn(&[6, 2, 4], &[3]).unwrap();
//! let (out, state) = gru.forward_packed(padded.clone(), &lengths, None).unwrap();
//! // The second sequence has 2 steps: its outputs from step 2 on are zero.
//! assert_eq!(out.as_tch().get(1).narrow(0, 2, 4).abs().sum(tch::Kind::Double).double_value(&[]), 0.0);
//! assert_eq!(state.h.size(), [2, 3, 8]);
//!
//! let too_long = Tensor::<(Dyn,), i64>::from_slice_dyn(&[7, 2, 4], &[3]).unwrap();
//! let err = gru.forward_packed(padded, &too_long, None).unwrap_err();
//! assert!(matches!(err, Error::SequenceLengths { steps: 6, .. }));
//! ```
//!
//! ## Cells
//!
//! A cell takes `(B, D<I>)` and a state of `(B, D<H>)` (an
//! [`LstmCellState`](crate::nn::LstmCellState) `{ h, c }` for the LSTM cell), for decoders and
//! other loops that decide each step's input themselves:
//!
//! ```
//! use typed_torch::prelude::*;
//!
//! let cell = LstmCell::<4, 8>::init().unwrap();
//! let mut state: Option<LstmCellState<Dyn, 8>> = None;
//! for _ in 0..5 {
//!     let x = Tensor::<(Dyn, D<4>)>::randn_dyn(&[2]).unwrap();
//!     state = Some(cell.step(&x, state.as_ref()));
//! }
//! assert_eq!(state.unwrap().c.size(), [2, 8]);
//! ```
//!
//! ## Two examples on real data
//!
//! `examples/seq_mnist_lstm.rs` reads each MNIST digit as 28 rows of 28 pixels: a 1-layer LSTM
//! over the rows and a linear read-out of the last step
//! (`typed_torch_models::row_lstm::RowLstm`). `examples/char_lm.rs` is a character-level language
//! model (`typed_torch_models::char_lm`: an embedding, a 2-layer LSTM or GRU, `--cell`, and a
//! read-out over the characters) on the fortunes corpus the set-up unpacks from Debian's package,
//! or on any UTF-8 file given with `--text`. [`CharCorpus`](crate::data::CharCorpus) turns the
//! text into ids, splits off the last 5% for validation, cuts next-character windows and computes
//! the unigram baseline the model must beat:
//!
//! ```
//! use typed_torch::data::CharCorpus;
//! use typed_torch::prelude::*;
//!
//! let text = "the cat sat on the mat; the rat sat on the hat. ".repeat(4);
//! let corpus = CharCorpus::from_text(&text, "cats.txt").unwrap();
//! let (train, valid) = corpus.split(0.25);
//! // Inputs and the characters one step later, 8 at a time.
//! let (x, y): (Tensor<(Dyn, D<8>), i64>, _) = corpus.windows::<8>(train).unwrap();
//! assert_eq!(x.size(), y.size());
//! assert_eq!(corpus.decode(&y.to_vec()[..7]), "he cat ");
//! let baseline = corpus.unigram_bits_per_char(train, valid);
//! assert!(baseline > 2.0 && baseline < 4.0, "{baseline}");
//! // Text that is too short for one window is an error naming it.
//! assert!(corpus.windows::<512>(valid).unwrap_err().to_string().contains("cats.txt"));
//! ```
//!
//! The model's type states the whole pipeline: `(B, T)` ids in, `(B, T, D<128>)` scores out, and
//! the training loop flattens both to score every position at once. Bits per character are the
//! validation cross-entropy divided by ln 2. The test suite runs both examples with shortened
//! settings and asserts their accuracy and bits per character; the README gives the full runs.
//!
//! ## How they are checked
//!
//! `tests/layers/recurrent.rs` compares every stack configuration (1-3 layers, uni and bi, both
//! layouts, `proj_size`, no bias, `relu`) and every cell with `torch.nn` on the same weights:
//! outputs, final states and the gradients of the input, the initial state and every parameter,
//! padded and packed, within 1e-10 in f64 and 1e-5 in f32; finite differences check the gradients
//! of each stack and cell; under one seed the initial weights equal PyTorch's bit for bit.
