//! Graphs: message passing over an edge list, as PyTorch Geometric does it.
//!
//! A [`Graph`] holds node features and [`Edges`] checked against the nodes; a [`GraphBatch`]
//! joins many graphs into one, with the [`BatchVector`] per-graph pooling needs, and a
//! [`GraphLoader`] batches a list of graphs in seeded-shuffled order. [`scatter`] gathers
//! per-edge values into per-node ones (sum, mean, max, min), with [`segment_softmax`] (a softmax
//! over each node's incoming edges), [`degree`] and the self-loop helpers
//! ([`add_remaining_self_loops`], [`remove_self_loops`]): the operations graph layers
//! ([`crate::nn::graph`]) are built from, usable on their own.
mod batch;
mod data;
mod edges;
mod images;
#[cfg(feature = "csv")]
mod io;
mod loader;
mod loops;
mod scatter;

pub use batch::{BatchVector, GraphBatch};
pub use data::Graph;
pub use edges::Edges;
pub(crate) use edges::{EdgeView, Purpose};
pub use images::{image_graphs, ImageGraphConfig};
#[cfg(feature = "csv")]
pub use io::{read_edge_list, read_node_labels, EdgeList};
pub use loader::GraphLoader;
pub use loops::{add_remaining_self_loops, remove_self_loops, WeightedEdges};
pub use scatter::{degree, index_add, scatter, segment_softmax, Aggregate};
pub(crate) use scatter::{reduce_rows, softmax_rows};
