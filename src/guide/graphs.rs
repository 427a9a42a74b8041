//! # Graphs: message passing, GCN, GraphSAGE, GAT and GIN
//!
//! A graph network computes each node's new features from its neighbours' along the edges.
//! typed-torch does it as PyTorch Geometric does (an edge list, gathered and scattered with
//! libtorch's kernels), with its semantics and parameter names, so a `state_dict` moves both ways;
//! the feature sizes are in the types, so a layer that does not fit the one before it is a
//! compile error.
//!
//! ## The data: edges checked once
//!
//! [`Edges`](crate::graph::Edges) is PyTorch Geometric's `edge_index`, `(D<2>, Dyn)` of `i64`
//! (sources in row 0, targets in row 1: messages flow from source to target), with the number of
//! nodes they are between and an optional weight per edge. Making one checks every entry, so a
//! layer never indexes out of range, and the error names the first bad edge.
//! [`Graph`](crate::graph::Graph) adds node features `(Dyn, D<F>)` and optional labels:
//!
//! ```
//! use typed_torch::graph::{Edges, Graph};
//! use typed_torch::prelude::*;
//!
//! // A triangle 0-1-2 and a pendant node 3, listed once per undirected edge.
//! let edges = Edges::<f32>::from_pairs(&[(0, 1), (1, 2), (2, 0), (2, 3)], 4).unwrap();
//! let edges = edges.undirected(); // each edge both ways: 8 edges
//! let x = Tensor::<(Dyn, D<2>)>::ones_dyn(&[4]).unwrap();
//! let graph = Graph::from_edges(x.clone(), edges).unwrap();
//! assert_eq!((graph.num_nodes(), graph.num_edges()), (4, 8));
//!
//! let bad = Edges::<f32>::from_pairs(&[(0, 1), (4, 2)], 4).unwrap_err();
//! assert_eq!(bad.to_string(), "edge_index source (row 0): entry 1 is 4, outside 0..4");
//! ```
//!
//! A graph may also carry features per edge, `(edges, D<FE>)` (`with_edge_features`; the width
//! is checked when they are read back, and batching concatenates them); no layer reads them yet.
//! Edge lists and node labels also come from CSV files ([`read_edge_list`](crate::graph::read_edge_list),
//! [`read_node_labels`](crate::graph::read_node_labels)), with errors naming the file and the
//! line; [`image_graphs`](crate::graph::image_graphs) turns images into graphs.
//!
//! ## Message passing with the scatter operations
//!
//! The layers are built from operations you can use for your own: gather the sources' rows
//! (`index_select`), combine them at the targets with [`scatter`](crate::graph::scatter) (sum,
//! mean, max or min; a node nothing points at gets zeros) or [`index_add`](crate::graph::index_add)
//! (onto a tensor you have), each checking its index and naming the first entry out of range, normalise over each node's incoming
//! edges with [`segment_softmax`](crate::graph::segment_softmax). The mean of the neighbours'
//! features, by hand:
//!
//! ```
//! use typed_torch::graph::{degree, scatter, Aggregate, Edges};
//! use typed_torch::prelude::*;
//!
//! let edges = Edges::<f32>::from_pairs(&[(0, 2), (1, 2), (2, 0)], 3).unwrap();
//! let x = Tensor::<(Dyn, D<1>)>::from_slice_dyn(&[1.0, 3.0, 10.0], &[3]).unwrap();
//! let messages = x.index_select::<0>(&edges.sources());
//! let mean = scatter(&messages, &edges.targets(), 3, Aggregate::Mean).unwrap();
//! assert_eq!(mean.to_vec(), [10.0, 0.0, 2.0]); // node 1 hears nothing
//! assert_eq!(degree::<f32, _>(&edges.targets(), 3).unwrap().to_vec(), [1.0, 0.0, 2.0]);
//! ```
//!
//! ## The layers
//!
//! Each takes node features with the edges, `conv.forward((x, &edges))`, `(N, D<I>)` in and
//! `(N, D<O>)` out (the node count `N` may be `Dyn` or static; features and edges of different
//! node counts are a panic at your line, naming both):
//!
//! * [`GcnConv<I, O>`](crate::nn::GcnConv): `D^-1/2 (A + I) D^-1/2 X W + b`, with the edges'
//!   weights; options `Improved` (self loops weigh 2), `NoSelfLoops`, `NoNormalize`, `NoBias`. The
//!   normalised weights are computed on first use and kept with the `Edges`, so a model run many
//!   times on one graph normalises it once (PyTorch Geometric's `cached=True`, which there must
//!   be switched off by hand when the graph changes; here a new graph is a new `Edges`). Weights
//!   that require gradients are never cached.
//! * [`SageConv<I, O>`](crate::nn::SageConv): `lin_l(mean of the neighbours) + lin_r(x)`; options
//!   `MaxAggregation`, `NoRootWeight`, `Normalize` (unit-length rows), `NoBias`.
//! * [`GatConv<I, O, Heads<H>>`](crate::nn::GatConv): attention over each node's incoming edges
//!   and a self loop, per head; the heads are concatenated (`H x O` features, computed by the
//!   compiler) or averaged with `MeanHeads`; run-time `negative_slope` and attention `dropout`.
//! * [`GinConv<NN>`](crate::nn::GinConv): `nn((1 + eps) x + sum of the neighbours)` around any
//!   module `NN` on node features (an HList MLP); `TrainEps` makes `eps` a parameter, otherwise
//!   it is a buffer, as in PyTorch Geometric.
//!
//! ```
//! use typed_torch::graph::Edges;
//! use typed_torch::prelude::*;
//!
//! let edges = Edges::<f32>::from_pairs(&[(0, 1), (1, 2), (2, 0)], 3).unwrap().undirected();
//! let x = Tensor::<(Dyn, D<16>)>::randn_dyn(&[3]).unwrap();
//!
//! let gat = GatConv::<16, 8, Heads<4>>::init().unwrap().dropout(0.1);
//! let h: Tensor<(Dyn, D<32>)> = gat.forward((x.clone(), &edges)).relu(); // 4 heads x 8
//! let gcn = GcnConv::<32, 2, Improved>::init().unwrap();
//! let out: Tensor<(Dyn, D<2>)> = gcn.forward((h, &edges));
//!
//! let gin = GinConv::<HList![Linear<16, 32>, ReLU, Linear<32, 32>], TrainEps>::init().unwrap();
//! assert_eq!(gin.param_names(), ["nn.0.weight", "nn.0.bias", "nn.2.weight", "nn.2.bias", "eps"]);
//! let sage = SageConv::<32, 4, MaxAggregation>::init().unwrap();
//! let y: Tensor<(Dyn, D<4>)> = sage.forward((gin.forward((x, &edges)), &edges));
//! ```
//!
//! Feeding the attention layer's 32 features to a `GcnConv::<8, 2>` does not compile:
//! "`GcnConv<8, 2>` cannot take `(Tensor<(Dyn, D<32>)>, &Edges)` as input". Neither does an
//! `f32` edge index (it must be `i64`), a layer option from another family ("`MeanHeads` is not
//! an option of a GCN layer"), or pooling without a batch vector (below).
//!
//! ## Many graphs: batches, loaders and pooling
//!
//! [`GraphBatch`](crate::graph::GraphBatch) joins graphs into one disconnected graph as PyTorch
//! Geometric's `Batch.from_data_list` does (features and labels concatenated, edges shifted), and
//! keeps a [`BatchVector`](crate::graph::BatchVector) saying which graph each node is in.
//! Per-graph pooling ([`global_add_pool`](crate::nn::global_add_pool), `global_mean_pool`,
//! `global_max_pool`, or the layers `GlobalMeanPool`...) takes that vector as a type of its own,
//! so forgetting it is a compile error. [`GraphLoader`](crate::graph::GraphLoader) batches a list
//! of graphs in seeded-shuffled order:
//!
//! ```
//! use typed_torch::graph::{Edges, Graph, GraphLoader};
//! use typed_torch::prelude::*;
//!
//! let ring = |n: usize, label: i64| {
//!     let pairs: Vec<(i64, i64)> = (0..n as i64).map(|i| (i, (i + 1) % n as i64)).collect();
//!     let x = Tensor::<(Dyn, D<3>)>::randn_dyn(&[n]).unwrap();
//!     let y = Tensor::<(Dyn,), i64>::from_slice_dyn(&[label], &[1]).unwrap();
//!     Graph::from_edges(x, Edges::from_pairs(&pairs, n).unwrap()).unwrap().with_labels(y).unwrap()
//! };
//! let graphs: Vec<Graph<3>> = (3..9).map(|n| ring(n, (n % 2) as i64)).collect();
//! let conv = GcnConv::<3, 8>::init().unwrap();
//! let head = Linear::<8, 2>::init().unwrap();
//! for batch in GraphLoader::new(&graphs, 4).unwrap().shuffle(true).seed(1).epoch(0) {
//!     let batch = batch.unwrap();
//!     let h = conv.forward(batch.input()).relu();
//!     let pooled = GlobalMeanPool.forward((h, batch.batch())); // one row per graph
//!     let loss = cross_entropy(&head.forward(pooled), batch.labels().unwrap(), Mean);
//!     loss.backward();
//! }
//! ```
//!
//! ## Two examples on real data
//!
//! * `karate_gcn` (`cargo run --release --example karate_gcn`): Zachary's karate club (networkx's
//!   copy, 34 members, 78 friendships). A 3-layer GCN with one-hot node features and a 2-D
//!   embedding layer (`NodeGcn`, `models/src/node_gcn.rs`)
//!   learns from the club of two members only, the instructor and the administrator, and places
//!   31 of the other 32 (96.9%, every seed from 0 to 4) in 200 full-graph Adam steps, well under a
//!   second. `runs/karate_gcn_embeddings.png` draws the embeddings before training and at
//!   epochs 10, 25, 50, 100 and 200: the two clubs pull apart toward their leaders.
//! * `graph_classification`: the set-up's MNIST digits as graphs, as in the MNISTSuperpixels
//!   benchmark: a node per inked 2x2 patch (42 on average) with its position and brightness,
//!   edges from its 8 nearest patches. A GIN (three `GinConv` layers with BatchNorm in their MLPs,
//!   mean pooling, an MLP head; `models/src/digit_gin.rs`) trained with Adam on the 4,000 training
//!   graphs classifies 89.8% of the 1,000 held-out ones after 30 epochs (55 s on 2 cores). The
//!   LeNet of `mnist_cnn` gets 98.2% on the same digits from the pixel grid, which the graphs do
//!   not have.
//!
//! ## How they are checked
//!
//! `tests/layers/graph.rs` runs every layer against torch_geometric 2.8.1 (pinned by the set-up)
//! on the same weights and a batch of two random graphs with an isolated node, a node with two
//! self loops and duplicate edges: thirteen configurations, outputs and the gradients of the node
//! features, the edge weights and every parameter, in f64 within 1e-10. Every layer's gradients
//! are also checked by central differences, including GCN's with respect to the edge weights.
//! A seeded layer equals torch_geometric's draw for draw (it initialises `lin` twice, when the
//! `Linear` is made and when the layer resets it; so does typed-torch).
//!
//! One difference: when a node has several self loops, GCN uses the weight of the last one (as
//! torch_geometric does), and the gradient reaches only that one; torch_geometric's also reaches
//! the node's earlier loops, whose weights do not change the output (finite differences agree
//! with typed-torch).
//!
//! ## Speed
//!
//! `benches/graph.rs` runs GCN and GAT forward and backward on 100,000 nodes and 1,000,000 random
//! edges, alternating typed-torch, the same computation in raw tch ops and torch_geometric in one
//! run: typed-torch over raw tch 0.98 to 1.01, over torch_geometric 0.97 to 1.01 (the README has
//! the table). The layers add nothing measurable to libtorch's gather and scatter kernels.
