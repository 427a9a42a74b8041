//! Normalisation layers: `BatchNorm1d`, `BatchNorm2d` (running statistics, momentum, train/eval),
//! `LayerNorm` over the last dim, and `GroupNorm` (groups must divide channels, checked at compile
//! time). Option: [`NoAffine`](crate::options::NoAffine) for PyTorch's `affine=False`; `eps` and
//! `momentum` are run-time values set by methods of those names.
mod batch;
mod group;
mod layer;

pub use batch::{BatchNorm1d, BatchNorm2d};
pub use group::GroupNorm;
pub use layer::LayerNorm;
