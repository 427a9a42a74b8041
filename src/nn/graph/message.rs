//! Message passing as the layers share it: each edge carries its source's row (scaled by the
//! edge's weight, if any) to its target, where the rows are combined.
use crate::device::Device;
use crate::element::Float;
use crate::graph::{reduce_rows, Aggregate, EdgeView, Edges};

/// The rows of `x` sent along `edges` and combined at each of `num_nodes` targets.
pub(crate) fn propagate(
    x: &tch::Tensor,
    edges: &EdgeView,
    num_nodes: usize,
    aggregate: Aggregate,
) -> tch::Tensor {
    let messages = x.index_select(0, &edges.sources);
    let messages = match &edges.weight {
        Some(w) => messages * w.view([-1, 1]),
        None => messages,
    };
    reduce_rows(&messages, &edges.targets, num_nodes, aggregate)
        .expect("edges are checked against the nodes when they are made")
}

/// Panics, at the caller's line, unless the features have one row per node of the edges.
#[track_caller]
pub(crate) fn check_nodes<E: Float, Dev: Device>(layer: &str, rows: usize, edges: &Edges<E, Dev>) {
    assert!(
        rows == edges.num_nodes(),
        "{layer}: node features of {rows} nodes with edges between {} nodes",
        edges.num_nodes()
    );
}
