//! A graph's data: node features, checked edges and optional labels.
use super::edges::Edges;
use crate::device::{Cpu, Device};
use crate::dims::{Dyn, D};
use crate::element::Float;
use crate::error::{Error, Result};
use crate::tensor::Tensor;

/// `N` nodes with `F` features each, the [`Edges`] between them and optional labels: PyTorch
/// Geometric's `Data(x, edge_index, edge_weight, y)`. The edges are checked against the nodes on
/// creation, so layers never index out of range.
///
/// ```
/// use typed_torch::graph::Graph;
/// use typed_torch::{Dyn, Tensor, D};
/// let x = Tensor::<(Dyn, D<2>)>::zeros_dyn(&[3]).unwrap();
/// let edges = Tensor::<(D<2>, Dyn), i64>::from_slice_dyn(&[0, 1, 1, 2], &[2]).unwrap();
/// let graph = Graph::new(x.clone(), edges).unwrap();
/// assert_eq!((graph.num_nodes(), graph.num_edges()), (3, 2));
///
/// let bad = Tensor::<(D<2>, Dyn), i64>::from_slice_dyn(&[0, 1, 1, 3], &[2]).unwrap();
/// let error = Graph::new(x, bad).unwrap_err();
/// assert_eq!(error.to_string(), "edge_index target (row 1): entry 1 is 3, outside 0..3");
/// ```
#[derive(Debug, Clone)]
pub struct Graph<const F: usize, E: Float = f32, Dev: Device = Cpu> {
    x: Tensor<(Dyn, D<F>), E, Dev>,
    edges: Edges<E, Dev>,
    labels: Option<Tensor<(Dyn,), i64, Dev>>,
    // `(edges, Fe)`; its width is checked when read back, as the type does not carry it.
    edge_features: Option<Tensor<(Dyn, Dyn), E, Dev>>,
}

impl<const F: usize, E: Float, Dev: Device> Graph<F, E, Dev> {
    /// A graph of the nodes `x` and the edges `edge_index`; an edge naming a node outside
    /// `0..N` is an error naming the first such edge.
    pub fn new(
        x: Tensor<(Dyn, D<F>), E, Dev>,
        edge_index: Tensor<(D<2>, Dyn), i64, Dev>,
    ) -> Result<Self> {
        let nodes = x.size()[0];
        Self::from_edges(x, Edges::new(edge_index, nodes)?)
    }

    /// A graph of the nodes `x` and checked `edges`, which must be between exactly `x`'s nodes.
    pub fn from_edges(x: Tensor<(Dyn, D<F>), E, Dev>, edges: Edges<E, Dev>) -> Result<Self> {
        let nodes = x.size()[0];
        if edges.num_nodes() != nodes {
            return Err(Error::Invalid(format!(
                "graph: the edges are between {} nodes, the features are of {nodes}",
                edges.num_nodes()
            )));
        }
        Ok(Graph {
            x,
            edges,
            labels: None,
            edge_features: None,
        })
    }

    /// The same graph with a weight on each edge (one per column of `edge_index`).
    pub fn with_edge_weight(self, weight: Tensor<(Dyn,), E, Dev>) -> Result<Self> {
        Ok(Graph {
            edges: self.edges.with_weight(weight)?,
            ..self
        })
    }

    /// The same graph with labels: one per node (node classification) or one for the whole
    /// graph (graph classification), as PyTorch Geometric's `y`. Batching concatenates them.
    pub fn with_labels(self, labels: Tensor<(Dyn,), i64, Dev>) -> Result<Self> {
        let (found, nodes) = (labels.size()[0], self.num_nodes());
        if found != nodes && found != 1 {
            return Err(Error::Invalid(format!(
                "graph labels: {found} for {nodes} nodes; one per node, or one for the graph"
            )));
        }
        Ok(Graph {
            labels: Some(labels),
            ..self
        })
    }

    /// The same graph with `FE` features per edge, one row per edge (PyTorch Geometric's
    /// `edge_attr`); batching concatenates them.
    ///
    /// ```
    /// use typed_torch::graph::{Edges, Graph};
    /// use typed_torch::{Dyn, Tensor, D};
    /// let x = Tensor::<(Dyn, D<2>)>::zeros_dyn(&[3]).unwrap();
    /// let graph = Graph::from_edges(x, Edges::from_pairs(&[(0, 1), (1, 2)], 3).unwrap()).unwrap();
    /// let graph = graph.with_edge_features(Tensor::<(Dyn, D<4>)>::ones_dyn(&[2]).unwrap()).unwrap();
    /// assert_eq!(graph.edge_features::<4>().unwrap().unwrap().size(), [2, 4]);
    /// assert!(graph.edge_features::<3>().is_err()); // the width is 4
    /// ```
    pub fn with_edge_features<const FE: usize>(
        self,
        features: Tensor<(Dyn, D<FE>), E, Dev>,
    ) -> Result<Self> {
        let (found, edges) = (features.size()[0], self.num_edges());
        if found != edges {
            return Err(Error::Invalid(format!(
                "edge features: {found} rows for {edges} edges; one row per edge"
            )));
        }
        Ok(Graph {
            edge_features: Some(Tensor::wrap(features.into_tch())),
            ..self
        })
    }

    /// The edge features, `(edges, FE)`, if the graph has them; an error if they are not `FE`
    /// wide.
    pub fn edge_features<const FE: usize>(&self) -> Result<Option<Tensor<(Dyn, D<FE>), E, Dev>>> {
        self.edge_features
            .as_ref()
            .map(|f| Tensor::from_tch(f.as_tch().shallow_clone()))
            .transpose()
    }

    /// Edge features as they are (a batch's, concatenated).
    pub(crate) fn raw_edge_features(&self) -> Option<&tch::Tensor> {
        self.edge_features.as_ref().map(Tensor::as_tch)
    }

    /// Edge features known to fit (a batch's).
    pub(crate) fn with_raw_edge_features(self, features: tch::Tensor) -> Self {
        Graph {
            edge_features: Some(Tensor::wrap(features)),
            ..self
        }
    }

    /// Labels of any length (a batch's: one per graph, or one per node).
    pub(crate) fn with_labels_unchecked(self, labels: Tensor<(Dyn,), i64, Dev>) -> Self {
        Graph {
            labels: Some(labels),
            ..self
        }
    }

    /// The number of nodes, `N`.
    pub fn num_nodes(&self) -> usize {
        self.x.size()[0]
    }

    /// The number of edges.
    pub fn num_edges(&self) -> usize {
        self.edges.num_edges()
    }

    /// The node features, `(N, F)`.
    pub fn x(&self) -> &Tensor<(Dyn, D<F>), E, Dev> {
        &self.x
    }

    /// The edges (with their weights, if any).
    pub fn edges(&self) -> &Edges<E, Dev> {
        &self.edges
    }

    /// The labels, if the graph has them.
    pub fn labels(&self) -> Option<&Tensor<(Dyn,), i64, Dev>> {
        self.labels.as_ref()
    }

    /// The node features and the edges, as graph layers take them: `conv.forward(graph.input())`.
    pub fn input(&self) -> (Tensor<(Dyn, D<F>), E, Dev>, &Edges<E, Dev>) {
        (self.x.clone(), &self.edges)
    }
}
