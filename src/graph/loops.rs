//! Self loops: the edge from each node to itself that GCN and GAT add so a node hears itself.
use crate::device::Device;
use crate::dims::{Dyn, D};
use crate::element::Float;
use crate::tensor::Tensor;

/// An edge list with the weights of its edges, if it has them.
pub type WeightedEdges<E, Dev> = (
    Tensor<(D<2>, Dyn), i64, Dev>,
    Option<Tensor<(Dyn,), E, Dev>>,
);

/// The edges without their self loops (and the weights of the edges kept).
///
/// ```
/// use typed_torch::graph::remove_self_loops;
/// use typed_torch::{Dyn, Tensor, D};
/// // 0 -> 0, 1 -> 2, 2 -> 2: only 1 -> 2 is not a loop.
/// let edges = Tensor::<(D<2>, Dyn), i64>::from_slice_dyn(&[0, 1, 2, 0, 2, 2], &[3]).unwrap();
/// let (kept, _) = remove_self_loops::<f32, _>(&edges, None);
/// assert_eq!(kept.to_vec(), [1, 2]);
/// ```
pub fn remove_self_loops<E: Float, Dev: Device>(
    edge_index: &Tensor<(D<2>, Dyn), i64, Dev>,
    weight: Option<&Tensor<(Dyn,), E, Dev>>,
) -> WeightedEdges<E, Dev> {
    let edges = edge_index.as_tch();
    let keep = edges.get(0).ne_tensor(&edges.get(1));
    let kept = edges.index_select(1, &keep.nonzero().squeeze_dim(1));
    let weight = weight.map(|w| Tensor::wrap(w.as_tch().masked_select(&keep)));
    (Tensor::wrap(kept), weight)
}

/// PyTorch Geometric's `add_remaining_self_loops`: the edges that are not self loops, then one
/// self loop per node `0..num_nodes`, in node order. A loop's weight is the weight of the graph's
/// own loop at that node if it has one (the last, if several), else `fill` (1 for GCN, 2 for its
/// `improved` variant). Differentiable in the weights: the gradient reaches the loops whose
/// weight is used, and no other (torch_geometric's also reaches a node's earlier loops).
///
/// ```
/// use typed_torch::graph::add_remaining_self_loops;
/// use typed_torch::{Dyn, Tensor, D};
/// // 0 -> 1, and a loop at node 1 of weight 5.
/// let edges = Tensor::<(D<2>, Dyn), i64>::from_slice_dyn(&[0, 1, 1, 1], &[2]).unwrap();
/// let weight = Tensor::<(Dyn,)>::from_slice_dyn(&[0.5, 5.0], &[2]).unwrap();
/// let (edges, weight) = add_remaining_self_loops(&edges, Some(&weight), 1.0, 3);
/// assert_eq!(edges.to_vec(), [0, 0, 1, 2, 1, 0, 1, 2]);
/// assert_eq!(weight.unwrap().to_vec(), [0.5, 1.0, 5.0, 1.0]);
/// ```
pub fn add_remaining_self_loops<E: Float, Dev: Device>(
    edge_index: &Tensor<(D<2>, Dyn), i64, Dev>,
    weight: Option<&Tensor<(Dyn,), E, Dev>>,
    fill: f64,
    num_nodes: usize,
) -> WeightedEdges<E, Dev> {
    let edges = edge_index.as_tch();
    let (kept, kept_weight) = remove_self_loops(edge_index, weight);
    let nodes = tch::Tensor::arange(num_nodes as i64, (tch::Kind::Int64, Dev::tch()));
    let loops = tch::Tensor::stack(&[&nodes, &nodes], 0);
    let all = tch::Tensor::cat(&[kept.as_tch(), &loops], 1);
    let weight = weight.zip(kept_weight).map(|(w, kept_weight)| {
        // The last loop of each node gives its weight; select it by position rather than by an
        // `index_put` whose duplicates autograd would all credit (torch_geometric's gradient
        // reaches every loop of a node, though only the last one counts).
        let positions = edges
            .get(0)
            .eq_tensor(&edges.get(1))
            .nonzero()
            .squeeze_dim(1);
        let at = edges.get(0).index_select(0, &positions);
        let last = tch::Tensor::full([num_nodes as i64], -1, (tch::Kind::Int64, Dev::tch()))
            .internal_scatter_reduce(0, &at, &positions, "amax", true);
        let chosen = w.as_tch().index_select(0, &last.clamp_min(0));
        let fill = tch::Tensor::full([num_nodes as i64], fill, (E::DTYPE, Dev::tch()));
        let loop_weight = chosen.where_self(&last.ge(0), &fill);
        Tensor::wrap(tch::Tensor::cat(&[kept_weight.as_tch(), &loop_weight], 0))
    });
    (Tensor::wrap(all), weight)
}
