//! Graphs: message passing over an edge list, as PyTorch Geometric does it.
//!
//! [`scatter`] gathers per-edge values into per-node ones (sum, mean, max, min), with
//! [`segment_softmax`] (a softmax over each node's incoming edges) and [`degree`]: the operations
//! graph layers are built from, usable on their own.
mod scatter;

pub use scatter::{degree, scatter, segment_softmax, Aggregate};
