//! Named hyper-parameters: `Stride<2>`, `Padding<3>`, `NoBias`... given in any order, each at most
//! once, with PyTorch's defaults for the rest.
//!
//! A layer takes them as one type argument after its sizes, a single option or a tuple of them,
//! `()` for all defaults: `nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)` is
//! `Conv2d<3, 64, 7, (Stride<2>, Padding<3>, NoBias)>`, `nn.Linear(784, 300, bias=False)` is
//! `Linear<784, 300, NoBias>`. A functional op takes the same options as a value:
//! `x.conv2d(&w, None, (Stride::<2>, Padding::<3>))`, `x.max_pool2d(Kernel::<3>, Stride::<2>)`.
//! Every size that follows from them is still computed by the compiler.
//!
//! ```
//! use typed_torch::prelude::*;
//! use typed_torch::nn::{Conv2d, Init, Module, StaticParamCount};
//! use typed_torch::options::{NoBias, Padding, Stride};
//! use typed_torch::{Tensor, D, Dyn};
//!
//! let conv = Conv2d::<3, 64, 7, (Stride<2>, Padding<3>, NoBias)>::init().unwrap();
//! let x = Tensor::<(Dyn, D<3>, D<224>, D<224>)>::zeros_dyn(&[1]).unwrap();
//! let y: Tensor<(Dyn, D<64>, D<112>, D<112>)> = conv.forward(x);
//! assert_eq!(<Conv2d<3, 64, 7, (NoBias, Padding<3>, Stride<2>)>>::PARAM_COUNT, 64 * 3 * 7 * 7);
//! ```
//!
//! Giving an option twice, or one the layer does not take, does not compile, and the error says
//! which (`option given twice: Stride<2> and Stride<1>`; "`OutputPadding<1>` is not an option of
//! a convolution").
//!
//! Options that are not sizes (a dropout probability, a norm's `eps`) are run-time values, set by
//! methods named after PyTorch's arguments: `BatchNorm2d::<16>::init()?.momentum(0.01)`.
//!
//! The module has three parts: the option types and the values they stand for (`markers`), the
//! machinery that combines a set of them key by key (`set`), and the families, which say what
//! each kind of layer or op takes and resolve its defaults (`families`).

mod families;
mod markers;
mod set;

pub use families::*;
pub use markers::*;
pub use set::*;
