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
/// Implements `Params`, `ToDevice`, `ToKind` and `StaticParamCount` for a layer whose state is a
/// `weight` and a `bias` chosen by its `const BIAS: bool` (Linear and the convolutions), generic
/// over its const hyper-parameters: `Name<consts>; weight count; bias count, extra bounds`.
macro_rules! weight_and_optional_bias {
    ($name:ident<$($c:ident),*>; $weight:expr; $bias:expr $(, $($bound:tt)*)?) => {
        impl<$(const $c: usize,)* const BIAS: bool, E: $crate::Float, Dev: $crate::Device> $crate::nn::Params
            for $name<$($c,)* E, Dev, BIAS>
        where
            $crate::nn::Bias<BIAS>: $crate::nn::BiasFlag,
            $($($bound)*)?
        {
            fn visit(&self, prefix: &str, f: &mut dyn FnMut(&str, &tch::Tensor)) {
                f(&$crate::nn::__join_name(prefix, "weight"), self.weight.as_tch());
                if let Some(b) = <$crate::nn::Bias<BIAS> as $crate::nn::BiasFlag>::get(&self.bias) {
                    f(&$crate::nn::__join_name(prefix, "bias"), b.as_tch());
                }
            }
            fn visit_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut tch::Tensor)) {
                f(&$crate::nn::__join_name(prefix, "weight"), self.weight.as_tch_mut());
                if let Some(b) = <$crate::nn::Bias<BIAS> as $crate::nn::BiasFlag>::get_mut(&mut self.bias) {
                    f(&$crate::nn::__join_name(prefix, "bias"), b.as_tch_mut());
                }
            }
        }
        impl<$(const $c: usize,)* const BIAS: bool, E: $crate::Float, Dev: $crate::Device> $crate::nn::StaticParamCount
            for $name<$($c,)* E, Dev, BIAS>
        where
            $crate::nn::Bias<BIAS>: $crate::nn::BiasFlag,
            $($($bound)*)?
        {
            const PARAM_COUNT: usize = $weight + if BIAS { $bias } else { 0 };
        }
        impl<$(const $c: usize,)* const BIAS: bool, E: $crate::Float, Dev: $crate::Device> $crate::nn::ToDevice
            for $name<$($c,)* E, Dev, BIAS>
        where
            $crate::nn::Bias<BIAS>: $crate::nn::BiasFlag,
            $($($bound)*)?
        {
            type On<D2: $crate::Device> = $name<$($c,)* E, D2, BIAS>;
            fn to_device<D2: $crate::Device>(&self) -> $crate::Result<Self::On<D2>> {
                Ok($name {
                    weight: $crate::nn::ToDevice::to_device(&self.weight)?,
                    bias: <$crate::nn::Bias<BIAS> as $crate::nn::BiasFlag>::try_map(&self.bias, |b| $crate::nn::ToDevice::to_device(b))?,
                })
            }
        }
        impl<$(const $c: usize,)* const BIAS: bool, E: $crate::Float, Dev: $crate::Device> $crate::nn::ToKind
            for $name<$($c,)* E, Dev, BIAS>
        where
            $crate::nn::Bias<BIAS>: $crate::nn::BiasFlag,
            $($($bound)*)?
        {
            type As<E2: $crate::Float> = $name<$($c,)* E2, Dev, BIAS>;
            fn to_kind<E2: $crate::Float>(&self) -> Self::As<E2> {
                let bias = <$crate::nn::Bias<BIAS> as $crate::nn::BiasFlag>::try_map(
                    &self.bias,
                    |b| Ok::<_, core::convert::Infallible>($crate::nn::ToKind::to_kind(b)),
                );
                $name {
                    weight: $crate::nn::ToKind::to_kind(&self.weight),
                    bias: match bias {
                        Ok(b) => b,
                        Err(never) => match never {},
                    },
                }
            }
        }
    };
}

mod activation;
mod attention;
mod bias;
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
mod param_count;
mod params;
mod pool_layers;
mod reshape_layers;
mod summary;

pub use activation::*;
pub use attention::MultiheadAttention;
pub use bias::{Bias, BiasFlag, BiasSlot};
pub use combinators::{BlockOutput, Concat, Join, Parallel, Repeat, Residual, Sum};
pub use conv_layers::{Conv1d, Conv2d, ConvTranspose2d};
pub use convert::{ToDevice, ToKind};
pub use dropout_layer::Dropout;
pub use embedding_layer::Embedding;
pub use gradcheck::{check_gradients, GradReport};
pub use linear::Linear;
pub use map::ParamMap;
pub use module::{LayerInput, Module};
pub use normalization::{BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm};
pub use param_count::StaticParamCount;
#[doc(hidden)]
pub use params::join as __join_name;
pub use params::join;
pub use params::Params;
pub use pool_layers::{AdaptiveAvgPool2d, AvgPool2d, MaxPool2d};
pub use reshape_layers::{Flatten, Reshape};
pub use summary::{param_table, DescribeType, ModelSummary, Summary, SummaryRow};
/// `#[derive(Params)]`: names a struct's parameters by its field names.
pub use typed_torch_macros::Params;
/// `#[derive(StaticParamCount)]`: a struct's [`StaticParamCount::PARAM_COUNT`] is the sum of its
/// fields' (fields marked `#[params(skip)]` are left out).
pub use typed_torch_macros::StaticParamCount;
/// Derives of [`ToDevice`] and [`ToKind`] for structs generic over `Dev` / `E`.
pub use typed_torch_macros::{ToDevice, ToKind};
