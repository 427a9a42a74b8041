//! # typed-torch
//!
//! Tensors whose shape, dtype and device are part of their type, over libtorch (through `tch`).
//! A wrong shape is a compile error, and every kernel is PyTorch's own.
//!
//! ```
//! use typed_torch::{Tensor, D, Dyn};
//!
//! let x = Tensor::<(Dyn, D<784>)>::randn_dyn(&[32]).unwrap(); // batch known at run time
//! let w = Tensor::<(D<784>, D<10>)>::randn().requires_grad();
//! let b = Tensor::<(D<10>,)>::zeros().requires_grad();
//! let logits = x.matmul(&w) + &b;                  // Tensor<(Dyn, D<10>)>
//! let loss = logits.log_softmax::<1>().mean_all(); // Tensor<()>: only these have `backward`
//! loss.backward();
//! let gw: Tensor<(D<784>, D<10>)> = w.grad().unwrap();
//! ```
//!
//! * Dims: [`D<N>`](D) (static) and [`Dyn`] (run time); shapes are tuples of up to 6 dims.
//! * Dtypes: [`Element`] types, with [`Numeric`] and [`Float`] restricting ops.
//! * Devices: [`Cpu`] and [`Cuda<I>`](Cuda); ops never mix them.
//! * Shape arithmetic (conv sizes, flatten products, concat sums) runs in the compiler, see [`dims`].
//!
//! ## Cargo features
//!
//! The first four are on by default; `default-features = false` drops their dependencies and
//! keeps everything else (tensors, layers, losses, optimizers, checkpoints, the data loader and
//! MNIST reader, training metrics, history and checkpoints).
//!
//! | feature | enables | pulls in |
//! | --- | --- | --- |
//! | `plot` | `train::plot_history`; [`train::Run`] drawing loss and accuracy curves (PNG, SVG) each epoch | `plotters` (bitmap and SVG backends, `ab_glyph` text), `image`, `png`: 17 crates |
//! | `progress` | the live progress bar of [`train::PhaseMeter`] (without it the meter counts and draws nothing) | `indicatif`, `console`: 5 crates |
//! | `csv` | `data::CsvReader`, `CsvTable`, `Column`, `CsvLabel` | `csv`, `csv-core`, `ryu`: 3 crates |
//! | `image-io` | `vision::read_rgb`, `read_gray`, `decode_rgb`, `decode_gray`, `save_png` (PNG and JPEG) | `image`, `png`, `jpeg-decoder` |
//! | `doc-only` (off) | `tch/doc-only`: docs and `cargo check` without libtorch (docs.rs); binaries do not link | nothing |
//!
//! ## Code generic over the batch
//!
//! Write the batch dim as a type parameter `B: Dim` and use the ordinary ops: nothing else is
//! needed about `B`. Static weights, biases that broadcast over the batch, activations,
//! reductions and `softmax` over other axes, `cat` and `flatten` of the other axes, layers and
//! losses all accept any `B`, and so does adding two tensors that share it: equal dims broadcast
//! to themselves whatever they are.
//!
//! ```
//! use typed_torch::loss::{self, Mean};
//! use typed_torch::nn::{Linear, Module};
//! use typed_torch::prelude::*;
//!
//! fn step<B: Dim>(
//!     fc: &Linear<64, 10>,
//!     x: &Tensor<(B, D<4>, D<16>)>,
//!     bias: &Tensor<(D<64>,)>,
//!     labels: &Tensor<(B,), i64>,
//! ) -> Tensor<()> {
//!     let h = (x.flatten::<1, 2>() + bias).relu(); // (B, 64) + (64,)
//!     let h = &h + &h.softmax::<1>();              // (B, 64) + (B, 64)
//!     loss::cross_entropy(&fc.forward(h), labels, Mean)
//! }
//!
//! let fc = Linear::<64, 10>::init().unwrap();
//! let x = Tensor::<(Dyn, D<4>, D<16>)>::zeros_dyn(&[8]).unwrap();
//! let labels = Tensor::<(Dyn,), i64>::zeros_dyn(&[8]).unwrap();
//! let _ = step(&fc, &x, &Tensor::zeros(), &labels);
//! let _ = step(&fc, &Tensor::<(D<2>, D<4>, D<16>)>::zeros(), &Tensor::zeros(), &Tensor::zeros());
//! ```
//!
//! A bound is needed only where the rules need a fact about `B`, e.g. broadcasting two
//! independent dims `B` and `C`: rustc then suggests `B: typed_torch::BroadcastDim<C>`, and that
//! bound is enough. The result dim is `<B as BroadcastDim<C>>::Output`.
//!
//! ```
//! use typed_torch::prelude::*;
//!
//! fn total<B: Dim + BroadcastDim<C>, C: Dim>(
//!     x: &Tensor<(B, D<4>)>,
//!     y: &Tensor<(C, D<4>)>,
//! ) -> Tensor<()> {
//!     (x + y).sum_all()
//! }
//! let many = Tensor::<(Dyn, D<4>)>::ones_dyn(&[5]).unwrap();
//! assert_eq!(total(&many, &Tensor::<(D<1>, D<4>)>::ones()).to_vec(), vec![40.0]);
//! ```

// Result types are computed shapes (`<S as RemoveAxis<AX>>::Output`, conv sizes...): spelling them
// out is the point of the crate, so clippy's type-complexity lint does not apply here.
#![allow(clippy::type_complexity)]

// The derives name the crate `::typed_torch`; this lets the crate derive its own layers.
extern crate self as typed_torch;

mod autograd;
pub mod checkpoint;
pub mod compiled;
pub mod data;
mod device;
pub mod distributions;
mod element;
mod error;
mod explain;
pub mod functional;
pub mod graph;
pub mod guide;
pub mod interpret;
pub mod linalg;
pub mod loss;
pub mod nn;
mod ops;
pub mod optim;
pub mod options;
mod runtime;
mod tensor;
pub mod train;
pub mod vision;

/// Dims and their compile-time arithmetic (re-exported from `typed-torch-shape`).
pub use typed_torch_shape::dims;
// Shapes and their axis operations live in `typed-torch-shape` with the dims; the public names are
// re-exported at the root below.
use typed_torch_shape as shape;

pub use autograd::{check_gradients, no_grad, GradReport};
pub use device::{Cpu, Cuda, Device};
pub use dims::{BroadcastDim, Dim, Dyn, D};
// Named in the constructor errors of layers whose dims must divide (E0599 lists the unmet bound);
// re-exported here so rustc prints `typed_torch::RemainderIsZero`.
#[doc(hidden)]
pub use dims::RemainderIsZero;
pub use element::{Element, Float, Index, Numeric};
pub use error::{Error, Result};
pub use ops::{ArrayData, Cat, CatAlong, GatherAlong, IndexSelectAlong, MatMulShape, SelectBy};
pub use shape::{
    AppendAxis, Axes2, Axes3, Axes4, Axes5, Axes6, AxisOrder, BroadcastShape, CatShape, CountEq,
    DimAt, DropLastAxes, FlattenAxes, InsertAxis, JoinShape, NarrowAxis, Numel, NumelFits,
    PermuteAxes, RemoveAxis, ReplaceAxis, ReshapeInto, SameRank, Shape, SplitLast, Squeezable,
    StaticShape, SwapAxes, MAX_RANK,
};
pub use tensor::Tensor;
/// Expands a macro once per tensor rank, for layers that need one impl per input rank.
pub use typed_torch_shape::for_each_rank;

/// The `tch` crate this one wraps (also used by the derive macros).
pub use tch;

/// HList stacks of layers: `hlist![a, b, c]` builds one, `HList![A, B, C]` names its type.
pub use frunk::{hlist, HList};

/// Compiles the README's code blocks as doctests, so the README cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// Everything a model file usually needs: `use typed_torch::prelude::*;`.
///
/// ```
/// use typed_torch::prelude::*;
///
/// #[derive(Module)]
/// #[module(sequential)]
/// struct Net<E: Float = f32, Dev: Device = Cpu> {
///     conv: Conv2d<1, 8, 3, Padding<1>, E, Dev>,
///     act: ReLU,
///     flat: Flatten,
///     head: Linear<{ 8 * 28 * 28 }, 10, (), E, Dev>,
/// }
///
/// let net = Net::<f32, Cpu>::init().unwrap();
/// let x = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_dyn(&[2]).unwrap();
/// let labels = Tensor::<(Dyn,), i64>::zeros_dyn(&[2]).unwrap();
/// let loss = cross_entropy(&net.forward(x), &labels, Mean);
/// assert_eq!(loss.size(), Vec::<usize>::new());
/// ```
pub mod prelude {
    pub use crate::loss::{
        self, bce, bce_with_logits, cross_entropy, huber, kl_div, l1, mse, nll, smooth_l1,
        Elementwise, Mean, Sum,
    };
    pub use crate::nn::{
        AdaptiveAvgPool2d, AvgPool2d, BatchNorm1d, BatchNorm2d, Conv1d, Conv2d, ConvTranspose2d,
        Dropout, Embedding, Flatten, GatConv, GcnConv, GinConv, GlobalAddPool, GlobalMaxPool,
        GlobalMeanPool, GroupNorm, Gru, GruCell, HiddenState, Init, LayerNorm, Linear, Lstm,
        LstmCell, LstmCellState, LstmState, MaxPool2d, Module, MultiheadAttention, Params, ReLU,
        Reshape, Residual, Rnn, RnnCell, SageConv, Sigmoid, Softmax, StaticParamCount, Summary,
        Tanh, ToDevice, ToKind, GELU,
    };
    pub use crate::options::{
        BatchFirst, Bidirectional, Dilation, Groups, Heads, Improved, Kernel, MaxAggregation,
        MeanHeads, NoAffine, NoBias, NoNormalize, NoRootWeight, NoSelfLoops, Nonlinearity,
        NumLayers, OutputPadding, Padding, ProjSize, Stride, TrainEps,
    };
    pub use crate::{
        hlist, no_grad, Axes2, Axes3, Axes4, Axes5, Axes6, BroadcastDim, Cat, Cpu, Cuda, Device,
        Dim, Dyn, Element, Float, HList, SelectBy, Tensor, D,
    };
}
