//! Per-graph pooling: the node features of each graph of a batch summed, averaged or maxed.
use crate::device::Device;
use crate::dims::{Dim, Dyn, D};
use crate::element::Float;
use crate::graph::{reduce_rows, Aggregate, BatchVector};
use crate::nn::module::module_via_layer_input;
use crate::nn::LayerInput;
use crate::tensor::Tensor;

#[track_caller]
fn pool<N: Dim, const F: usize, E: Float, Dev: Device>(
    x: &Tensor<(N, D<F>), E, Dev>,
    batch: &BatchVector<Dev>,
    aggregate: Aggregate,
    name: &str,
) -> Tensor<(Dyn, D<F>), E, Dev> {
    let rows = x.size()[0];
    assert!(
        rows == batch.num_nodes(),
        "{name}: node features of {rows} nodes with a batch vector of {} nodes",
        batch.num_nodes()
    );
    Tensor::wrap(
        reduce_rows(
            x.as_tch(),
            batch.index().as_tch(),
            batch.num_graphs(),
            aggregate,
        )
        .expect("a batch vector is checked against its graphs when it is made"),
    )
}

/// The sum of each graph's node features, `(graphs, F)`: `torch_geometric.nn.global_add_pool`.
///
/// # Panics
///
/// At the caller's line, unless `batch` has one entry per row of `x`.
///
/// ```
/// use typed_torch::graph::BatchVector;
/// use typed_torch::nn::global_add_pool;
/// use typed_torch::{Dyn, Tensor, D};
/// let x = Tensor::<(Dyn, D<1>)>::from_slice_dyn(&[1., 2., 4.], &[3]).unwrap();
/// let batch = BatchVector::new(Tensor::<(Dyn,), i64>::from_slice_dyn(&[0, 0, 1], &[3]).unwrap(), 2).unwrap();
/// assert_eq!(global_add_pool(&x, &batch).to_vec(), [3., 4.]);
/// ```
#[track_caller]
pub fn global_add_pool<N: Dim, const F: usize, E: Float, Dev: Device>(
    x: &Tensor<(N, D<F>), E, Dev>,
    batch: &BatchVector<Dev>,
) -> Tensor<(Dyn, D<F>), E, Dev> {
    pool(x, batch, Aggregate::Sum, "global_add_pool")
}

/// The mean of each graph's node features (zeros for a graph without nodes):
/// `torch_geometric.nn.global_mean_pool`. Panics as [`global_add_pool`].
#[track_caller]
pub fn global_mean_pool<N: Dim, const F: usize, E: Float, Dev: Device>(
    x: &Tensor<(N, D<F>), E, Dev>,
    batch: &BatchVector<Dev>,
) -> Tensor<(Dyn, D<F>), E, Dev> {
    pool(x, batch, Aggregate::Mean, "global_mean_pool")
}

/// The elementwise maximum of each graph's node features (zeros for a graph without nodes):
/// `torch_geometric.nn.global_max_pool`. Panics as [`global_add_pool`].
#[track_caller]
pub fn global_max_pool<N: Dim, const F: usize, E: Float, Dev: Device>(
    x: &Tensor<(N, D<F>), E, Dev>,
    batch: &BatchVector<Dev>,
) -> Tensor<(Dyn, D<F>), E, Dev> {
    pool(x, batch, Aggregate::Max, "global_max_pool")
}

macro_rules! pool_layer {
    ($(#[$doc:meta])* $name:ident, $f:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, crate::nn::Module)]
        pub struct $name;

        impl<N: Dim, const F: usize, E: Float, Dev: Device> LayerInput<$name>
            for (Tensor<(N, D<F>), E, Dev>, &'_ BatchVector<Dev>)
        {
            type Output = Tensor<(Dyn, D<F>), E, Dev>;
            #[track_caller]
            fn run(_: &$name, (x, batch): Self) -> Self::Output {
                $f(&x, batch)
            }
        }

        module_via_layer_input!([] $name);
    };
}

pool_layer!(
    /// [`global_add_pool`] as a layer: takes node features with the batch vector,
    /// `pool.forward((x, batch.batch()))`.
    GlobalAddPool,
    global_add_pool
);
pool_layer!(
    /// [`global_mean_pool`] as a layer: takes node features with the batch vector.
    GlobalMeanPool,
    global_mean_pool
);
pool_layer!(
    /// [`global_max_pool`] as a layer: takes node features with the batch vector.
    GlobalMaxPool,
    global_max_pool
);
