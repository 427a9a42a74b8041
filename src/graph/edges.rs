//! An edge list checked against its nodes, with optional weights and the normalised forms graph
//! layers derive from it, computed once per edge list.
use super::loops::{add_remaining_self_loops, remove_self_loops};
use super::scatter::check_index;
use crate::device::{Cpu, Device};
use crate::dims::{Dyn, D};
use crate::element::Float;
use crate::error::{Error, Result};
use crate::tensor::Tensor;
use std::sync::{Arc, Mutex};

/// The directed edges of a graph of `num_nodes` nodes: edge `e` goes from `index[0][e]` (its
/// source) to `index[1][e]` (its target, where its message arrives), PyTorch Geometric's
/// `edge_index`, with an optional weight per edge. [`Edges::new`] checks every entry, so the
/// layers never index out of range; an undirected graph lists each edge both ways
/// ([`Edges::undirected`]).
///
/// Graph layers take node features with the edges, `conv.forward((x, &edges))`. What they derive
/// from the edges alone (GCN's normalised weights, the self-looped list of attention) is computed
/// on first use and kept with the edges, so a model run many times on one graph computes it once;
/// weights that require gradients are never cached.
///
/// ```
/// use typed_torch::graph::Edges;
/// // A path 0 - 1 - 2, both ways.
/// let edges = Edges::<f32>::from_pairs(&[(0, 1), (1, 2)], 3).unwrap().undirected();
/// assert_eq!(edges.num_edges(), 4);
/// assert_eq!(edges.targets().to_vec(), [1, 2, 0, 1]);
///
/// let error = Edges::<f32>::from_pairs(&[(0, 1), (1, 3)], 3).unwrap_err();
/// assert_eq!(error.to_string(), "edge_index target (row 1): entry 1 is 3, outside 0..3");
/// ```
#[derive(Debug, Clone)]
pub struct Edges<E: Float = f32, Dev: Device = Cpu> {
    index: Tensor<(D<2>, Dyn), i64, Dev>,
    weight: Option<Tensor<(Dyn,), E, Dev>>,
    num_nodes: usize,
    derived: Arc<Mutex<Vec<Derived>>>,
}

/// An edge list derived from these edges for one purpose, kept for the next call.
#[derive(Debug)]
struct Derived {
    purpose: Purpose,
    sources: tch::Tensor,
    targets: tch::Tensor,
    weight: Option<tch::Tensor>,
}

/// What an edge list was derived for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// GCN's `deg^-1/2 (A + fill I) deg^-1/2` weights, self loops added with weight `fill`.
    GcnNorm { self_loops: bool, improved: bool },
    /// Every self loop removed, then one added per node (graph attention).
    OneLoopPerNode,
}

/// An edge list as a layer uses it: sources, targets and a weight per edge, if any.
#[derive(Debug)]
pub(crate) struct EdgeView {
    pub sources: tch::Tensor,
    pub targets: tch::Tensor,
    pub weight: Option<tch::Tensor>,
}

impl<E: Float, Dev: Device> Edges<E, Dev> {
    /// The edges `index` (sources in row 0, targets in row 1) between nodes `0..num_nodes`; an
    /// entry outside that range is an error naming the first one.
    pub fn new(index: Tensor<(D<2>, Dyn), i64, Dev>, num_nodes: usize) -> Result<Self> {
        let edges = index.size()[1] as i64;
        for (row, end) in [(0, "source"), (1, "target")] {
            let ends = Tensor::<(Dyn,), i64, Dev>::wrap(index.as_tch().get(row));
            check_index(
                &format!("edge_index {end} (row {row})"),
                &ends,
                edges,
                num_nodes,
            )?;
        }
        Ok(Edges {
            index,
            weight: None,
            num_nodes,
            derived: Arc::default(),
        })
    }

    /// Edges known to be in range (a batch's shifted edges).
    pub(crate) fn new_unchecked(index: Tensor<(D<2>, Dyn), i64, Dev>, num_nodes: usize) -> Self {
        Edges {
            index,
            weight: None,
            num_nodes,
            derived: Arc::default(),
        }
    }

    /// The edges `(source, target)` between nodes `0..num_nodes`, checked as by [`Edges::new`].
    pub fn from_pairs(pairs: &[(i64, i64)], num_nodes: usize) -> Result<Self> {
        let flat: Vec<i64> = pairs
            .iter()
            .map(|p| p.0)
            .chain(pairs.iter().map(|p| p.1))
            .collect();
        let index = tch::Tensor::from_slice(&flat)
            .view([2, pairs.len() as i64])
            .to_device(Dev::tch());
        Self::new(Tensor::wrap(index), num_nodes)
    }

    /// These edges with a weight on each (one per column of the index, in that order).
    pub fn with_weight(self, weight: Tensor<(Dyn,), E, Dev>) -> Result<Self> {
        let (found, edges) = (weight.size()[0], self.num_edges());
        if found != edges {
            return Err(Error::Invalid(format!(
                "edge weights: {found} for {edges} edges; one weight per edge"
            )));
        }
        Ok(Edges {
            index: self.index,
            weight: Some(weight),
            num_nodes: self.num_nodes,
            derived: Arc::default(),
        })
    }

    /// These edges followed by each edge the other way (with the same weight): an undirected
    /// graph from a list that names each edge once. Self loops are not doubled; an edge the list
    /// already has both ways ends up twice each way.
    pub fn undirected(&self) -> Self {
        let index = self.index.as_tch();
        let not_loop = index.get(0).ne_tensor(&index.get(1));
        let reversed = index
            .flip([0])
            .transpose(0, 1)
            .index_select(0, &not_loop.nonzero().squeeze_dim(1))
            .transpose(0, 1);
        let weight = self.weight.as_ref().map(|w| {
            let w = w.as_tch();
            Tensor::wrap(tch::Tensor::cat(&[w, &w.masked_select(&not_loop)], 0))
        });
        Edges {
            index: Tensor::wrap(tch::Tensor::cat(&[index, &reversed], 1)),
            weight,
            num_nodes: self.num_nodes,
            derived: Arc::default(),
        }
    }

    /// The number of nodes the edges are between.
    pub fn num_nodes(&self) -> usize {
        self.num_nodes
    }

    /// The number of edges.
    pub fn num_edges(&self) -> usize {
        self.index.size()[1]
    }

    /// The edges as PyTorch Geometric's `edge_index`, `(2, edges)`.
    pub fn index(&self) -> &Tensor<(D<2>, Dyn), i64, Dev> {
        &self.index
    }

    /// The edges' weights, if they have them.
    pub fn weight(&self) -> Option<&Tensor<(Dyn,), E, Dev>> {
        self.weight.as_ref()
    }

    /// The source node of every edge.
    pub fn sources(&self) -> Tensor<(Dyn,), i64, Dev> {
        Tensor::wrap(self.index.as_tch().get(0))
    }

    /// The target node of every edge: where messages arrive.
    pub fn targets(&self) -> Tensor<(Dyn,), i64, Dev> {
        Tensor::wrap(self.index.as_tch().get(1))
    }

    /// The edges as given.
    pub(crate) fn view(&self) -> EdgeView {
        let index = self.index.as_tch();
        EdgeView {
            sources: index.get(0),
            targets: index.get(1),
            weight: self.weight.as_ref().map(|w| w.as_tch().shallow_clone()),
        }
    }

    /// The edges derived for `purpose`, from the cache when they were derived before and do not
    /// depend on a weight that requires gradients.
    pub(crate) fn derived(&self, purpose: Purpose) -> EdgeView {
        let cacheable = self
            .weight
            .as_ref()
            .is_none_or(|w| !w.as_tch().requires_grad());
        if cacheable {
            let cache = self.derived.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(d) = cache.iter().find(|d| d.purpose == purpose) {
                return EdgeView {
                    sources: d.sources.shallow_clone(),
                    targets: d.targets.shallow_clone(),
                    weight: d.weight.as_ref().map(|w| w.shallow_clone()),
                };
            }
        }
        let view = self.derive(purpose);
        if cacheable {
            let mut cache = self.derived.lock().unwrap_or_else(|e| e.into_inner());
            cache.push(Derived {
                purpose,
                sources: view.sources.shallow_clone(),
                targets: view.targets.shallow_clone(),
                weight: view.weight.as_ref().map(|w| w.shallow_clone()),
            });
        }
        view
    }

    fn derive(&self, purpose: Purpose) -> EdgeView {
        match purpose {
            Purpose::GcnNorm {
                self_loops,
                improved,
            } => {
                let (index, weight) = if self_loops {
                    let fill = if improved { 2.0 } else { 1.0 };
                    add_remaining_self_loops(
                        &self.index,
                        self.weight.as_ref(),
                        fill,
                        self.num_nodes,
                    )
                } else {
                    (self.index.clone(), self.weight.clone())
                };
                let index = index.as_tch();
                let (sources, targets) = (index.get(0), index.get(1));
                let weight = match weight {
                    Some(w) => w.into_tch(),
                    None => tch::Tensor::ones([index.size()[1]], (E::DTYPE, Dev::tch())),
                };
                let degree = tch::Tensor::zeros([self.num_nodes as i64], (E::DTYPE, Dev::tch()))
                    .index_add(0, &targets, &weight);
                // deg^-1/2, with 0 for a node nothing points at (as PyTorch Geometric does).
                let scale = degree.pow_tensor_scalar(-0.5);
                let scale = scale.masked_fill(&scale.isinf(), 0.0);
                let weight =
                    scale.index_select(0, &sources) * weight * scale.index_select(0, &targets);
                EdgeView {
                    sources,
                    targets,
                    weight: Some(weight),
                }
            }
            Purpose::OneLoopPerNode => {
                let (kept, _) = remove_self_loops::<E, Dev>(&self.index, None);
                let nodes =
                    tch::Tensor::arange(self.num_nodes as i64, (tch::Kind::Int64, Dev::tch()));
                let index = tch::Tensor::cat(
                    &[kept.as_tch(), &tch::Tensor::stack(&[&nodes, &nodes], 0)],
                    1,
                );
                EdgeView {
                    sources: index.get(0),
                    targets: index.get(1),
                    weight: None,
                }
            }
        }
    }
}
