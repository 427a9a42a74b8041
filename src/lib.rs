//! # typed-torch
//!
//! Tensors whose shape, dtype and device are part of their type, over libtorch (through `tch`).
//! A wrong shape is a compile error, and every kernel is PyTorch's own.
//!
//! ```
//! use typed_torch::{Tensor, D, Dyn};
//!
//! let x = Tensor::<(Dyn, D<784>)>::randn_sized(&[32, 784]).unwrap(); // batch known at run time
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

// Result types are computed shapes (`<S as RemoveAxis<AX>>::Output`, conv sizes...): spelling them
// out is the point of the crate, so clippy's type-complexity lint does not apply here.
#![allow(clippy::type_complexity)]

mod autograd;
pub mod checkpoint;
pub mod data;
mod device;
mod element;
mod error;
mod explain;
pub mod loss;
pub mod nn;
mod ops;
pub mod optim;
mod shape;
mod tensor;
pub mod train;

/// Dims and their compile-time arithmetic (re-exported from `typed-torch-dims`).
pub use typed_torch_dims as dims;

pub use autograd::no_grad;
pub use device::{Cpu, Cuda, Device};
pub use dims::{Dim, Dyn, D};
pub use element::{Element, Float, Index, Numeric};
pub use error::{Error, Result};
pub use ops::{ArrayData, MatMulShape, SameRank};
pub use shape::{
    AppendAxis, Axes2, Axes3, Axes4, Axes5, Axes6, AxisOrder, BroadcastShape, CatShape, CountEq,
    DimAt, FlattenAxes, InsertAxis, Numel, PermuteAxes, RemoveAxis, ReplaceAxis, Shape, Squeezable,
    StaticShape, SwapAxes, MAX_RANK,
};
pub use tensor::Tensor;

/// The `tch` crate this one wraps (also used by the derive macros).
pub use tch;

/// HList stacks of layers: `hlist![a, b, c]` builds one, `HList![A, B, C]` names its type.
pub use frunk::{hlist, HList};

/// Compiles the README's code blocks as doctests, so the README cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// Everything a model file usually needs.
pub mod prelude {
    pub use crate::{no_grad, Axes2, Axes3, Axes4, Cpu, Cuda, Device, Dim, Dyn, Float, Tensor, D};
}
