//! Combinators: a residual (skip) connection, parallel branches joined by concatenation or sum,
//! and a block repeated `N` times. Each is a derived module whose `forward` is its own.
mod parallel;
mod repeat;
mod residual;

pub use parallel::{ConcatOutputs, JoinOutputs, Parallel, SumOutputs};
pub use repeat::Repeat;
pub use residual::{BlockOutput, Residual};
