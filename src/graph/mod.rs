//! Graphs: message passing over an edge list, as PyTorch Geometric does it.
//!
//! A [`Graph`] holds node features and an edge list checked against the nodes.
//! [`scatter`] gathers per-edge values into per-node ones (sum, mean, max, min), with
//! [`segment_softmax`] (a softmax over each node's incoming edges) and [`degree`]: the operations
//! graph layers are built from, usable on their own.
mod data;
mod scatter;

pub use data::Graph;

pub use scatter::{degree, scatter, segment_softmax, Aggregate};
