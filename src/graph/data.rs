//! A graph's data: node features, an edge list and optional edge weights, checked on creation.
use super::scatter::check_index;
use crate::device::{Cpu, Device};
use crate::dims::{Dyn, D};
use crate::element::Float;
use crate::error::{Error, Result};
use crate::tensor::Tensor;

/// `N` nodes with `F` features each and directed edges from `edge_index[0][e]` (the source) to
/// `edge_index[1][e]` (the target), with an optional weight per edge: PyTorch Geometric's
/// `Data(x, edge_index, edge_weight)`. An undirected graph lists each edge both ways. Every edge
/// names existing nodes: [`Graph::new`] checks it, so layers never index out of range.
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
    edge_index: Tensor<(D<2>, Dyn), i64, Dev>,
    edge_weight: Option<Tensor<(Dyn,), E, Dev>>,
}

impl<const F: usize, E: Float, Dev: Device> Graph<F, E, Dev> {
    /// A graph of the nodes `x` and the edges `edge_index`; an edge naming a node outside
    /// `0..N` is an error naming the first such edge.
    pub fn new(
        x: Tensor<(Dyn, D<F>), E, Dev>,
        edge_index: Tensor<(D<2>, Dyn), i64, Dev>,
    ) -> Result<Self> {
        let nodes = x.size()[0];
        let edges = edge_index.size()[1];
        for (row, end) in [(0, "source"), (1, "target")] {
            let ends = Tensor::<(Dyn,), i64, Dev>::wrap(edge_index.as_tch().get(row));
            check_index(
                &format!("edge_index {end} (row {row})"),
                &ends,
                edges as i64,
                nodes,
            )?;
        }
        Ok(Graph {
            x,
            edge_index,
            edge_weight: None,
        })
    }

    /// The same graph with a weight on each edge (one per column of `edge_index`).
    pub fn with_edge_weight(mut self, weight: Tensor<(Dyn,), E, Dev>) -> Result<Self> {
        let (found, edges) = (weight.size()[0], self.num_edges());
        if found != edges {
            return Err(Error::Invalid(format!(
                "edge weights: {found} for {edges} edges; one weight per edge"
            )));
        }
        self.edge_weight = Some(weight);
        Ok(self)
    }

    /// The number of nodes, `N`.
    pub fn num_nodes(&self) -> usize {
        self.x.size()[0]
    }

    /// The number of edges.
    pub fn num_edges(&self) -> usize {
        self.edge_index.size()[1]
    }

    /// The node features, `(N, F)`.
    pub fn x(&self) -> &Tensor<(Dyn, D<F>), E, Dev> {
        &self.x
    }

    /// The edges: sources in row 0, targets in row 1.
    pub fn edge_index(&self) -> &Tensor<(D<2>, Dyn), i64, Dev> {
        &self.edge_index
    }

    /// The edges' weights, if the graph has them.
    pub fn edge_weight(&self) -> Option<&Tensor<(Dyn,), E, Dev>> {
        self.edge_weight.as_ref()
    }

    /// The source node of every edge.
    pub fn sources(&self) -> Tensor<(Dyn,), i64, Dev> {
        Tensor::wrap(self.edge_index.as_tch().get(0))
    }

    /// The target node of every edge: where messages arrive.
    pub fn targets(&self) -> Tensor<(Dyn,), i64, Dev> {
        Tensor::wrap(self.edge_index.as_tch().get(1))
    }
}
