//! Operations on typed tensors, one module per family. Each computes its result shape in the type;
//! most are inherent methods on [`Tensor`](crate::Tensor), so only a few traits are re-exported.
mod binary;
mod compare;
mod conv;
mod create;
mod index;
mod join;
mod matmul;
mod nn;
mod pool;
mod reduce;
mod reshape;
mod unary;

pub use create::ArrayData;
pub use index::{GatherAlong, IndexSelectAlong, SelectBy};
pub use join::{Cat, CatAlong};
pub use matmul::MatMulShape;
pub(crate) use nn::embedding;
