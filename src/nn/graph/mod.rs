//! Graph layers with PyTorch Geometric's semantics and parameter names: [`GcnConv`],
//! [`SageConv`], [`GatConv`], [`GinConv`], and per-graph pooling ([`GlobalAddPool`],
//! [`GlobalMeanPool`], [`GlobalMaxPool`]).
//!
//! A layer takes node features with the edges they live on, `conv.forward((x, &edges))`, and
//! returns new node features: `(N, D<I>)` in, `(N, D<O>)` out, the feature sizes checked by the
//! compiler, the node count (the edges' and the features') when the layer runs. Pooling takes
//! node features with a [`BatchVector`](crate::graph::BatchVector) and returns one row per graph.
mod gat;
mod gcn;
mod gin;
mod message;
mod pool;
mod sage;

pub use gat::GatConv;
pub use gcn::GcnConv;
pub use gin::{GinConv, GinEps};
pub use pool::{
    global_add_pool, global_max_pool, global_mean_pool, GlobalAddPool, GlobalMaxPool,
    GlobalMeanPool,
};
pub use sage::SageConv;
