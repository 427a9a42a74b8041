//! Layers and models: the [`Module`] trait, parameter traversal with PyTorch `state_dict` names
//! ([`Params`]), sequential stacks as `frunk` HLists, and the standard layers.
//!
//! ```
//! use typed_torch::nn::{Linear, Module, Params, ReLU};
//! use typed_torch::{hlist, Tensor, D, Dyn};
//!
//! tch::manual_seed(0);
//! let mlp = hlist![Linear::<784, 300>::new(), ReLU, Linear::<300, 10>::new()];
//! let x = Tensor::<(Dyn, D<784>)>::zeros_sized(&[2, 784]).unwrap();
//! let y: Tensor<(Dyn, D<10>)> = mlp.forward(x);
//! assert_eq!(mlp.param_names(), ["0.weight", "0.bias", "2.weight", "2.bias"]);
//! assert_eq!(mlp.param_count(), 784 * 300 + 300 + 300 * 10 + 10);
//! ```
mod activation;
mod attention;
mod combinators;
mod conv_layers;
mod convert;
mod dropout_layer;
mod embedding_layer;
mod gradcheck;
mod init;
mod linear;
mod map;
mod module;
mod normalization;
mod params;
mod pool_layers;
mod reshape_layers;
mod summary;

pub use activation::*;
pub use attention::MultiheadAttention;
pub use combinators::{Concat, Join, Parallel, Repeat, Residual, Sum};
pub use conv_layers::{Conv1d, Conv2d, ConvTranspose2d};
pub use convert::{ToDevice, ToKind};
pub use dropout_layer::Dropout;
pub use embedding_layer::Embedding;
pub use gradcheck::{check_gradients, GradReport};
pub use linear::Linear;
pub use map::ParamMap;
pub use module::Module;
pub use normalization::{BatchNorm, BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm};
#[doc(hidden)]
pub use params::join as __join_name;
pub use params::Params;
pub use pool_layers::{AdaptiveAvgPool2d, AvgPool2d, MaxPool2d};
pub use reshape_layers::{Flatten, Reshape};
pub use summary::{param_table, DescribeType, ModelSummary, Summary, SummaryRow};
/// `#[derive(Params)]`: names a struct's parameters by its field names.
pub use typed_torch_macros::Params;
/// Derives of [`ToDevice`] and [`ToKind`] for structs generic over `Dev` / `E`.
pub use typed_torch_macros::{ToDevice, ToKind};
