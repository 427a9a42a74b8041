//! Many graphs as one: node offsets, and the vector saying which graph each node belongs to.
use super::data::Graph;
use super::edges::Edges;
use super::scatter::check_index;
use crate::device::{Cpu, Device};
use crate::dims::{Dyn, D};
use crate::element::Float;
use crate::error::{Error, Result};
use crate::tensor::Tensor;

/// Which graph each node of a batch belongs to (PyTorch Geometric's `batch` vector), with the
/// number of graphs: what per-graph pooling needs, as a type of its own, so pooling a batch
/// without one does not compile.
///
/// ```
/// use typed_torch::graph::BatchVector;
/// use typed_torch::{Dyn, Tensor};
/// let batch = BatchVector::new(Tensor::<(Dyn,), i64>::from_slice_dyn(&[0, 0, 1], &[3]).unwrap(), 2).unwrap();
/// assert_eq!((batch.num_nodes(), batch.num_graphs()), (3, 2));
/// assert!(BatchVector::new(Tensor::<(Dyn,), i64>::from_slice_dyn(&[0, 2], &[2]).unwrap(), 2).is_err());
/// ```
#[derive(Debug, Clone)]
pub struct BatchVector<Dev: Device = Cpu> {
    index: Tensor<(Dyn,), i64, Dev>,
    num_graphs: usize,
}

impl<Dev: Device> BatchVector<Dev> {
    /// Node `i` belongs to graph `index[i]`, in `0..num_graphs`; an entry outside is an error.
    pub fn new(index: Tensor<(Dyn,), i64, Dev>, num_graphs: usize) -> Result<Self> {
        let nodes = index.size()[0] as i64;
        check_index("batch vector", &index, nodes, num_graphs)?;
        Ok(BatchVector { index, num_graphs })
    }

    /// One graph of `num_nodes` nodes: every node in graph 0.
    pub fn single(num_nodes: usize) -> Self {
        let index = tch::Tensor::zeros([num_nodes as i64], (tch::Kind::Int64, Dev::tch()));
        BatchVector {
            index: Tensor::wrap(index),
            num_graphs: 1,
        }
    }

    /// The graph of each node.
    pub fn index(&self) -> &Tensor<(Dyn,), i64, Dev> {
        &self.index
    }

    /// The number of nodes.
    pub fn num_nodes(&self) -> usize {
        self.index.size()[0]
    }

    /// The number of graphs.
    pub fn num_graphs(&self) -> usize {
        self.num_graphs
    }
}

/// Graphs batched into one disconnected graph, as PyTorch Geometric's `Batch.from_data_list`
/// does: node features and labels concatenated, each graph's edges shifted by the number of nodes
/// before it, and a [`BatchVector`] naming each node's graph. One pass of a graph layer then runs
/// every graph of the batch.
///
/// ```
/// use typed_torch::graph::{Edges, Graph, GraphBatch};
/// use typed_torch::{Dyn, Tensor, D};
/// let a = Graph::from_edges(
///     Tensor::<(Dyn, D<1>)>::from_slice_dyn(&[1., 2.], &[2]).unwrap(),
///     Edges::from_pairs(&[(0, 1)], 2).unwrap(),
/// ).unwrap();
/// let b = Graph::from_edges(
///     Tensor::<(Dyn, D<1>)>::from_slice_dyn(&[3., 4., 5.], &[3]).unwrap(),
///     Edges::from_pairs(&[(2, 0)], 3).unwrap(),
/// ).unwrap();
/// let batch = GraphBatch::new(&[a, b]).unwrap();
/// assert_eq!(batch.edges().index().to_vec(), [0, 4, 1, 2]);
/// assert_eq!(batch.batch().index().to_vec(), [0, 0, 1, 1, 1]);
/// assert_eq!(batch.node_offsets(), [0, 2, 5]);
/// ```
#[derive(Debug, Clone)]
pub struct GraphBatch<const F: usize, E: Float = f32, Dev: Device = Cpu> {
    graph: Graph<F, E, Dev>,
    batch: BatchVector<Dev>,
    offsets: Vec<usize>,
}

impl<const F: usize, E: Float, Dev: Device> GraphBatch<F, E, Dev> {
    /// The graphs as one batch; an error for no graphs, or when some have edge weights (or
    /// labels, or edge features) and others not.
    pub fn new(graphs: &[Graph<F, E, Dev>]) -> Result<Self> {
        Self::from_refs(&graphs.iter().collect::<Vec<_>>())
    }

    /// [`GraphBatch::new`] on borrowed graphs (a loader's shuffled selection).
    pub fn from_refs(graphs: &[&Graph<F, E, Dev>]) -> Result<Self> {
        if graphs.is_empty() {
            return Err(Error::Invalid("graph batch: no graphs".into()));
        }
        let mut offsets = vec![0];
        for g in graphs {
            offsets.push(offsets.last().copied().unwrap_or(0) + g.num_nodes());
        }
        let x = tch::Tensor::cat(
            &graphs.iter().map(|g| g.x().as_tch()).collect::<Vec<_>>(),
            0,
        );
        let index: Vec<tch::Tensor> = graphs
            .iter()
            .zip(&offsets)
            .map(|(g, &offset)| g.edges().index().as_tch() + offset as i64)
            .collect();
        let index = Tensor::wrap(tch::Tensor::cat(&index, 1));
        let nodes = offsets[graphs.len()];
        // The shifted edges are in range by construction: skip the check `Edges::new` makes.
        let mut edges = Edges::new_unchecked(index, nodes);
        let weighted = graphs
            .iter()
            .filter(|g| g.edges().weight().is_some())
            .count();
        if weighted == graphs.len() {
            let w: Vec<&tch::Tensor> = graphs
                .iter()
                .filter_map(|g| g.edges().weight().map(|w| w.as_tch()))
                .collect();
            edges = edges.with_weight(Tensor::wrap(tch::Tensor::cat(&w, 0)))?;
        } else if weighted != 0 {
            return Err(Error::Invalid(format!(
                "graph batch: {weighted} of {} graphs have edge weights; all or none must",
                graphs.len()
            )));
        }
        let mut graph = Graph::from_edges(Tensor::wrap(x), edges)?;
        let labelled = graphs.iter().filter(|g| g.labels().is_some()).count();
        if labelled == graphs.len() {
            let y: Vec<&tch::Tensor> = graphs
                .iter()
                .filter_map(|g| g.labels().map(|y| y.as_tch()))
                .collect();
            graph = graph.with_labels_unchecked(Tensor::wrap(tch::Tensor::cat(&y, 0)));
        } else if labelled != 0 {
            return Err(Error::Invalid(format!(
                "graph batch: {labelled} of {} graphs have labels; all or none must",
                graphs.len()
            )));
        }
        let featured = graphs
            .iter()
            .filter(|g| g.raw_edge_features().is_some())
            .count();
        if featured == graphs.len() {
            let f: Vec<&tch::Tensor> = graphs
                .iter()
                .filter_map(|g| g.raw_edge_features())
                .collect();
            let widths: Vec<i64> = f.iter().map(|t| t.size()[1]).collect();
            if widths.iter().any(|&w| w != widths[0]) {
                return Err(Error::Invalid(format!(
                    "graph batch: edge features of widths {widths:?}; all must be equally wide"
                )));
            }
            graph = graph.with_raw_edge_features(tch::Tensor::cat(&f, 0));
        } else if featured != 0 {
            return Err(Error::Invalid(format!(
                "graph batch: {featured} of {} graphs have edge features; all or none must",
                graphs.len()
            )));
        }
        let counts: Vec<i64> = graphs.iter().map(|g| g.num_nodes() as i64).collect();
        let ids = tch::Tensor::arange(graphs.len() as i64, (tch::Kind::Int64, Dev::tch()));
        let batch = ids.repeat_interleave_self_tensor(
            &tch::Tensor::from_slice(&counts).to_device(Dev::tch()),
            0,
            Some(nodes as i64),
        );
        Ok(GraphBatch {
            graph,
            batch: BatchVector {
                index: Tensor::wrap(batch),
                num_graphs: graphs.len(),
            },
            offsets,
        })
    }

    /// The batch as one graph.
    pub fn graph(&self) -> &Graph<F, E, Dev> {
        &self.graph
    }

    /// The node features of every graph, `(total nodes, F)`.
    pub fn x(&self) -> &Tensor<(Dyn, D<F>), E, Dev> {
        self.graph.x()
    }

    /// The edges of every graph, shifted to the batch's node numbers.
    pub fn edges(&self) -> &Edges<E, Dev> {
        self.graph.edges()
    }

    /// The labels of every graph, concatenated, if they have them.
    pub fn labels(&self) -> Option<&Tensor<(Dyn,), i64, Dev>> {
        self.graph.labels()
    }

    /// Which graph each node belongs to.
    pub fn batch(&self) -> &BatchVector<Dev> {
        &self.batch
    }

    /// The number of graphs.
    pub fn num_graphs(&self) -> usize {
        self.batch.num_graphs
    }

    /// Where each graph's nodes start, and the total at the end (PyTorch Geometric's `ptr`).
    pub fn node_offsets(&self) -> &[usize] {
        &self.offsets
    }

    /// The node features and the edges, as graph layers take them.
    pub fn input(&self) -> (Tensor<(Dyn, D<F>), E, Dev>, &Edges<E, Dev>) {
        self.graph.input()
    }
}
