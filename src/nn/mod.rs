//! Layers and models. [`module`] holds the machinery every model shares (running, traversal with
//! PyTorch `state_dict` names, creation on a device, conversion, summaries); the layers sit in
//! family folders (`conv`, `norm`, `pool`, `attention`, `combinators`...) and are re-exported
//! here. Sequential stacks are `frunk` HLists.
//!
//! ```
//! use typed_torch::prelude::*;
//! use typed_torch::nn::{Init, Linear, Module, Params, ReLU};
//! use typed_torch::{HList, Tensor, D, Dyn};
//!
//! tch::manual_seed(0);
//! let mlp = <HList![Linear<784, 300>, ReLU, Linear<300, 10>]>::init().unwrap();
//! let x = Tensor::<(Dyn, D<784>)>::zeros_dyn(&[2]).unwrap();
//! let y: Tensor<(Dyn, D<10>)> = mlp.forward(x);
//! assert_eq!(mlp.param_names(), ["0.weight", "0.bias", "2.weight", "2.bias"]);
//! assert_eq!(mlp.param_count(), 784 * 300 + 300 + 300 * 10 + 10);
//! ```
pub mod module;

mod activation;
mod attention;
mod combinators;
mod conv;
mod dropout;
mod embedding;
pub mod graph;
mod linear;
mod norm;
mod pool;
mod recurrent;
mod reshape;
mod transformer;

pub use activation::*;
pub use attention::{AttnMask, KeyPaddingMask, KvCache, MultiheadAttention};
pub use combinators::{
    BlockOutput, ConcatOutputs, JoinOutputs, Parallel, Repeat, Residual, SumOutputs,
};
pub use conv::{Conv1d, Conv2d, ConvTranspose2d};
pub use dropout::Dropout;
pub use embedding::Embedding;
pub use graph::{
    global_add_pool, global_max_pool, global_mean_pool, GatConv, GcnConv, GinConv, GinEps,
    GlobalAddPool, GlobalMaxPool, GlobalMeanPool, SageConv,
};
pub use linear::Linear;
pub use module::init;
pub use module::{
    param_table, DescribeType, Init, LayerInput, ModelSummary, Module, Optional, ParamMap, Params,
    Path, StaticParamCount, Summary, SummaryRow, ToDevice, ToKind, Visitor, VisitorMut,
};
pub use norm::{BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm};
pub use pool::{AdaptiveAvgPool2d, AvgPool2d, MaxPool2d};
pub use recurrent::{
    CellKind, CellWeights, Gru, GruCell, GruStateOf, HiddenState, Lstm, LstmCell, LstmCellState,
    LstmState, LstmStateOf, Rnn, RnnCell, RnnStateOf, StackSpec, StackWeights,
};
pub use reshape::{Flatten, Reshape};
pub use transformer::{
    CachedEncoderBlock, DecoderBlock, DecoderMasks, EncoderBlock, EncoderMasks,
    LearnedPositionalEncoding, SinusoidalPositionalEncoding, Transformer, TransformerDecoder,
    TransformerDecoderLayer, TransformerEncoder, TransformerEncoderLayer, TransformerMasks,
};
/// `#[derive(Module)]`: makes a struct a model (traversal with PyTorch names, the static
/// parameter count, device and dtype conversion, creation with [`Init`], train/eval, the summary,
/// and with `#[module(sequential)]` the forward pass). See [`module`] for the traits and the
/// crate `typed_torch_macros` for every attribute.
pub use typed_torch_macros::Module;
