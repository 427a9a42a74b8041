//! Graphs: message passing over an edge list, as PyTorch Geometric does it.
//!
//! A [`Graph`] holds node features and an edge list checked against the nodes.
//! [`scatter`] gathers per-edge values into per-node ones (sum, mean, max, min), with
//! [`segment_softmax`] (a softmax over each node's incoming edges), [`degree`] and the self-loop
//! helpers ([`add_remaining_self_loops`], [`remove_self_loops`]): the operations
//! graph layers are built from, usable on their own.
mod data;
mod loops;
mod scatter;

pub use data::Graph;
pub use loops::{add_remaining_self_loops, remove_self_loops, WeightedEdges};

pub use scatter::{degree, scatter, segment_softmax, Aggregate};
