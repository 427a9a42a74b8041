//! Graph layers against torch_geometric 2.8.1 on the same weights and a batch of two random graphs
//! with an isolated node, self loops and duplicate edges (tests/reference/graph_layers.py): outputs
//! and the gradients of the node features, the edge weights and every parameter, f64 within 1e-10.
//! Then finite differences for every layer, initialisation draw for draw, batching and pooling,
//! the cache of derived edges, and the errors of bad input.

use crate::common::{assert_close, assert_close_to, input, load_state, reference, share_generator};
use typed_torch::check_gradients;
use typed_torch::graph::{BatchVector, Edges, Graph, GraphBatch, GraphLoader};
use typed_torch::nn::{
    global_add_pool, global_max_pool, global_mean_pool, GatConv, GcnConv, GinConv, GlobalMeanPool,
    Linear, Params, ReLU, SageConv, Tanh,
};
use typed_torch::options::{
    Heads, Improved, MaxAggregation, MeanHeads, NoBias, NoNormalize, NoRootWeight, NoSelfLoops,
    Normalize, TrainEps,
};
use typed_torch::prelude::*;
use typed_torch::{Dyn, HList, Tensor, D};

const NODES: usize = 12;

/// Checks every parameter's gradient against torch_geometric's `<prefix>.pgrad.<name>`.
fn assert_param_grads<M: Params>(model: &M, prefix: &str, tol: f64) {
    let mut checked = 0;
    model.for_each_param(|name, t| {
        let expected = reference(&format!("{prefix}.pgrad.{name}"));
        let diff = (t.grad() - expected).abs().max().double_value(&[]);
        assert!(
            diff <= tol,
            "{prefix}: gradient of {name} differs by {diff:e}"
        );
        checked += 1;
    });
    assert!(checked >= 1, "{prefix}: no parameters checked");
}

/// The reference batch's edges, with its weights when `weighted`.
fn edges(case: &str, weighted: bool) -> (Edges<f64>, Tensor<(Dyn,), f64>) {
    let edges = Edges::new(input::<(D<2>, Dyn), i64>(case, 1), NODES).unwrap();
    let weight = input::<(Dyn,), f64>(case, 2).deep_clone().requires_grad();
    let edges = if weighted {
        edges.with_weight(weight.clone()).unwrap()
    } else {
        edges
    };
    (edges, weight)
}

macro_rules! parity {
    ($test:ident, $config:literal, $layer:ty, out $o:ty, weighted $weighted:literal) => {
        parity!($test, $config, $layer, out $o, weighted $weighted, set |layer| layer);
    };
    ($test:ident, $config:literal, $layer:ty, out $o:ty, weighted $weighted:literal, set $set:expr) => {
        #[test]
        fn $test() {
            let _generator = share_generator();
            let mut layer = <$layer>::init().unwrap();
            load_state(&mut layer, concat!("graph.", $config, ".param"));
            let set: fn($layer) -> $layer = $set;
            let layer = set(layer);
            let case = concat!("graph.", $config);
            // Own copies: the reference tensors are shared by the tests that read them.
            let x = input::<(Dyn, D<4>), f64>(case, 0).deep_clone().requires_grad();
            let (edges, weight) = edges(case, $weighted);
            let out: Tensor<(Dyn, $o), f64> = layer.forward((x.clone(), &edges));
            assert_close(case, &out, 1e-10);
            // A second run takes the cached normalisation (for unweighted edges): same values.
            let again: Tensor<(Dyn, $o), f64> = layer.forward((x.clone(), &edges));
            assert_close(case, &again, 1e-10);
            let g = input::<(Dyn, $o), f64>(case, 3);
            (out * g).sum_all().backward();
            assert_close_to(case, "grad0", &x.grad().unwrap(), 1e-10);
            if $weighted {
                assert_close_to(case, "grad1", &weight.grad().unwrap(), 1e-10);
            }
            assert_param_grads(&layer, case, 1e-10);
        }
    };
}

parity!(gcn_with_edge_weights, "gcn", GcnConv<4, 3, (), f64>, out D<3>, weighted true);
parity!(gcn_without_weights, "gcn_plain", GcnConv<4, 3, (), f64>, out D<3>, weighted false);
parity!(gcn_improved, "gcn_improved", GcnConv<4, 3, Improved, f64>, out D<3>, weighted true);
parity!(gcn_without_self_loops, "gcn_noloops", GcnConv<4, 3, NoSelfLoops, f64>, out D<3>, weighted true);
parity!(gcn_unnormalised_without_bias, "gcn_nonorm_nobias", GcnConv<4, 3, (NoNormalize, NoBias), f64>, out D<3>, weighted true);
parity!(sage_mean, "sage", SageConv<4, 3, (), f64>, out D<3>, weighted false);
parity!(sage_max, "sage_max", SageConv<4, 3, MaxAggregation, f64>, out D<3>, weighted false);
parity!(sage_normalised_without_root_or_bias, "sage_norm_noroot_nobias", SageConv<4, 3, (Normalize, NoRootWeight, NoBias), f64>, out D<3>, weighted false);
parity!(gat_two_heads_concatenated, "gat", GatConv<4, 3, Heads<2>, (), f64>, out D<6>, weighted false);
parity!(gat_three_heads_averaged, "gat_mean_slope", GatConv<4, 3, Heads<3>, MeanHeads, f64>, out D<3>, weighted false, set |layer| layer.negative_slope(0.1));
parity!(gat_without_self_loops_or_bias, "gat_noloops_nobias", GatConv<4, 3, Heads<2>, (NoSelfLoops, NoBias), f64>, out D<6>, weighted false);
parity!(gin_trained_eps, "gin", GinConv<HList![Linear<4, 8, (), f64>, ReLU, Linear<8, 3, (), f64>], TrainEps, f64>, out D<3>, weighted false);
parity!(gin_fixed_eps, "gin_fixed", GinConv<HList![Linear<4, 3, (), f64>], (), f64>, out D<3>, weighted false);

#[test]
fn gat_negative_slope_is_a_setting() {
    // The reference config uses slope 0.1; the default 0.2 must give a different answer.
    let _generator = share_generator();
    let case = "graph.gat_mean_slope";
    let mut layer = GatConv::<4, 3, Heads<3>, MeanHeads, f64>::init().unwrap();
    load_state(&mut layer, "graph.gat_mean_slope.param");
    let x = input::<(Dyn, D<4>), f64>(case, 0);
    let (edges, _) = edges(case, false);
    let default = layer.forward((x.clone(), &edges));
    assert!(assert_close_to_fails(case, &default));
    let layer = layer.negative_slope(0.1);
    assert_close(case, &layer.forward((x, &edges)), 1e-10);
}

fn assert_close_to_fails(case: &str, t: &Tensor<(Dyn, D<3>), f64>) -> bool {
    let diff = (t.as_tch() - reference(&format!("{case}.out")))
        .abs()
        .max()
        .double_value(&[]);
    diff > 1e-6
}

#[test]
fn gin_eps_is_a_parameter_only_when_trained() {
    type Mlp = HList![Linear<4, 3, (), f64>];
    let trained = GinConv::<Mlp, TrainEps, f64>::init().unwrap();
    let fixed = GinConv::<Mlp, (), f64>::init().unwrap();
    assert_eq!(trained.param_names(), ["nn.0.weight", "nn.0.bias", "eps"]);
    assert_eq!(fixed.param_names(), ["nn.0.weight", "nn.0.bias"]);
    let mut buffers = vec![];
    fixed.for_each_buffer(|name, _| buffers.push(name.to_string()));
    assert_eq!(buffers, ["eps"]);
    assert_eq!(trained.param_count(), 4 * 3 + 3 + 1);
}

#[test]
fn fresh_layers_draw_like_torch_geometric() {
    let _generator = crate::common::lock_generator();
    fn check<M: Params>(layer: &M, name: &str) {
        layer.for_each_tensor(|key, t| {
            let expected = reference(&format!("graph.init.{name}.{key}"));
            let diff = (t - expected).abs().max().double_value(&[]);
            assert!(diff < 1e-6, "{name}.{key} differs by {diff:e}");
        });
    }
    tch::manual_seed(7);
    check(&GcnConv::<4, 3>::init().unwrap(), "gcn");
    tch::manual_seed(7);
    check(&SageConv::<4, 3>::init().unwrap(), "sage");
    tch::manual_seed(7);
    check(&GatConv::<4, 3, Heads<2>>::init().unwrap(), "gat");
}

/// `tanh(out)^2` summed: smooth, so central differences are exact to O(eps^2).
fn smooth_loss<const F: usize>(t: Tensor<(Dyn, D<F>), f64>) -> Tensor<(), f64> {
    t.tanh().square().sum_all()
}

#[test]
fn gradients_match_finite_differences() {
    let _generator = share_generator();
    let case = "graph.gcn";
    let x = input::<(Dyn, D<4>), f64>(case, 0);
    let (plain, _) = edges(case, false);
    let (weighted, weight) = edges(case, true);
    let weight = weight.detach();

    let mut gcn = GcnConv::<4, 3, (), f64>::init().unwrap();
    let r = check_gradients(&mut gcn, &x, 1e-6, |m, x| {
        smooth_loss(m.forward((x.clone(), &weighted)))
    });
    assert!(r.max_error < 1e-7, "GcnConv: {r:?}");
    // The edge weights as the input.
    let index = weighted.index().clone();
    let r = check_gradients(&mut gcn, &weight, 1e-6, |m, w| {
        let e = Edges::new(index.clone(), NODES)
            .unwrap()
            .with_weight(w.clone())
            .unwrap();
        smooth_loss(m.forward((x.clone(), &e)))
    });
    assert!(r.max_error < 1e-7, "GcnConv, edge weights: {r:?}");
    let mut gcn = GcnConv::<4, 3, Improved, f64>::init().unwrap();
    let r = check_gradients(&mut gcn, &weight, 1e-6, |m, w| {
        let e = Edges::new(index.clone(), NODES)
            .unwrap()
            .with_weight(w.clone())
            .unwrap();
        smooth_loss(m.forward((x.clone(), &e)))
    });
    assert!(r.max_error < 1e-7, "GcnConv improved, edge weights: {r:?}");

    let mut sage = SageConv::<4, 3, (), f64>::init().unwrap();
    let r = check_gradients(&mut sage, &x, 1e-6, |m, x| {
        smooth_loss(m.forward((x.clone(), &plain)))
    });
    assert!(r.max_error < 1e-7, "SageConv: {r:?}");
    let mut sage = SageConv::<4, 3, (MaxAggregation, Normalize), f64>::init().unwrap();
    let r = check_gradients(&mut sage, &x, 1e-6, |m, x| {
        smooth_loss(m.forward((x.clone(), &plain)))
    });
    assert!(r.max_error < 1e-7, "SageConv max, normalised: {r:?}");

    let mut gat = GatConv::<4, 3, Heads<2>, (), f64>::init().unwrap();
    let r = check_gradients(&mut gat, &x, 1e-6, |m, x| {
        smooth_loss(m.forward((x.clone(), &plain)))
    });
    assert!(r.max_error < 1e-7, "GatConv: {r:?}");
    let mut gat = GatConv::<4, 3, Heads<3>, MeanHeads, f64>::init().unwrap();
    let r = check_gradients(&mut gat, &x, 1e-6, |m, x| {
        smooth_loss(m.forward((x.clone(), &plain)))
    });
    assert!(r.max_error < 1e-7, "GatConv mean: {r:?}");

    let mut gin =
        GinConv::<HList![Linear<4, 5, (), f64>, Tanh, Linear<5, 3, (), f64>], TrainEps, f64>::init(
        )
        .unwrap()
        .eps(0.25)
        .unwrap();
    let r = check_gradients(&mut gin, &x, 1e-6, |m, x| {
        smooth_loss(m.forward((x.clone(), &plain)))
    });
    assert!(r.max_error < 1e-7, "GinConv: {r:?}");
}

#[test]
fn batching_matches_torch_geometric() {
    // The two reference graphs, split back out of the batch and batched again.
    let case = "graph.gcn";
    let x = input::<(Dyn, D<4>), f64>(case, 0);
    let index = reference("graph.batch.edge_index");
    let (sizes, edge_counts) = ([7usize, 5], [12i64, 7]);
    let mut graphs = vec![];
    let (mut node, mut edge) = (0i64, 0i64);
    for (n, e) in sizes.into_iter().zip(edge_counts) {
        let own = index.narrow(1, edge, e) - node;
        let xs =
            Tensor::<(Dyn, D<4>), f64>::from_tch(x.as_tch().narrow(0, node, n as i64)).unwrap();
        let labels = Tensor::<(Dyn,), i64>::from_slice_dyn(&[node], &[1]).unwrap();
        let graph = Graph::new(xs, Tensor::from_tch(own).unwrap())
            .unwrap()
            .with_labels(labels)
            .unwrap();
        graphs.push(graph);
        node += n as i64;
        edge += e;
    }
    let batch = GraphBatch::new(&graphs).unwrap();
    let same = |a: &tch::Tensor, b: &tch::Tensor| {
        a.size() == b.size() && a.eq_tensor(b).all().int64_value(&[]) == 1
    };
    assert!(same(batch.edges().index().as_tch(), &index));
    assert!(same(
        batch.batch().index().as_tch(),
        &reference("graph.batch.batch")
    ));
    let ptr: Vec<i64> = batch.node_offsets().iter().map(|&p| p as i64).collect();
    assert_eq!(
        ptr,
        Vec::<i64>::try_from(reference("graph.batch.ptr")).unwrap()
    );
    assert_eq!(batch.labels().unwrap().to_vec(), [0, 7]);
    assert_eq!(batch.x().to_vec(), x.to_vec());

    // The loader: every graph once per epoch, in a seeded order that changes with the epoch.
    let many: Vec<_> = (0..9).map(|i| graphs[i % 2].clone()).collect();
    let loader = GraphLoader::new(&many, 4).unwrap().shuffle(true).seed(5);
    assert_eq!(loader.len(), 3);
    let mut order = loader.order(0);
    assert_ne!(order, loader.order(1));
    assert_eq!(order, loader.order(0));
    order.sort_unstable();
    assert_eq!(order, (0..9).collect::<Vec<_>>());
    let graphs_seen: usize = loader.epoch(0).map(|b| b.unwrap().num_graphs()).sum();
    assert_eq!(graphs_seen, 9);
}

#[test]
fn pooling_matches_torch_geometric() {
    for (name, pool) in [
        (
            "add",
            global_add_pool::<Dyn, 3, f64, typed_torch::Cpu> as fn(&_, &_) -> _,
        ),
        ("mean", global_mean_pool),
        ("max", global_max_pool),
    ] {
        let case = format!("graph.pool_{name}");
        let x = input::<(Dyn, D<3>), f64>(&case, 0);
        let batch = BatchVector::new(input::<(Dyn,), i64>(&case, 1), 3).unwrap();
        assert_close(&case, &pool(&x, &batch), 1e-12);
    }
    let case = "graph.pool_mean";
    let x = input::<(Dyn, D<3>), f64>(case, 0);
    let batch = BatchVector::new(input::<(Dyn,), i64>(case, 1), 3).unwrap();
    assert_close(case, &GlobalMeanPool.forward((x, &batch)), 1e-12);
}

#[test]
fn derived_edges_are_cached_unless_the_weights_train() {
    let _generator = share_generator();
    let case = "graph.gcn";
    let x = input::<(Dyn, D<4>), f64>(case, 0);
    let gcn = GcnConv::<4, 3, (), f64>::init().unwrap();
    // Trainable weights: each run differentiates through its own normalisation.
    let (edges, weight) = edges(case, true);
    for _ in 0..2 {
        gcn.forward((x.clone(), &edges)).sum_all().backward();
    }
    let twice = weight.grad().unwrap();
    let (edges, weight) = self::edges(case, true);
    gcn.forward((x.clone(), &edges)).sum_all().backward();
    let once = weight.grad().unwrap();
    assert!(
        (twice.as_tch() - once.as_tch() * 2.0)
            .abs()
            .max()
            .double_value(&[])
            < 1e-12
    );
}

#[test]
fn bad_graphs_are_errors_naming_what_is_wrong() {
    let index = Tensor::<(D<2>, Dyn), i64>::from_slice_dyn(&[0, -1, 1, 2], &[2]).unwrap();
    let e = Edges::<f32>::new(index, 3).unwrap_err();
    assert_eq!(
        e.to_string(),
        "edge_index source (row 0): entry 1 is -1, outside 0..3"
    );
    let edges = Edges::<f32>::from_pairs(&[(0, 1), (1, 2)], 3).unwrap();
    let e = edges
        .clone()
        .with_weight(Tensor::<(Dyn,)>::ones_dyn(&[3]).unwrap())
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "edge weights: 3 for 2 edges; one weight per edge"
    );
    let x = Tensor::<(Dyn, D<2>)>::ones_dyn(&[4]).unwrap();
    let e = Graph::from_edges(x.clone(), edges.clone()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "graph: the edges are between 3 nodes, the features are of 4"
    );
    let batch = Tensor::<(Dyn,), i64>::from_slice_dyn(&[0, 1, 2], &[3]).unwrap();
    let e = BatchVector::new(batch, 2).unwrap_err();
    assert_eq!(e.to_string(), "batch vector: entry 2 is 2, outside 0..2");
    let a = Graph::from_edges(
        Tensor::<(Dyn, D<2>)>::ones_dyn(&[3]).unwrap(),
        edges.clone(),
    )
    .unwrap();
    let b = a
        .clone()
        .with_edge_weight(Tensor::<(Dyn,)>::ones_dyn(&[2]).unwrap())
        .unwrap();
    let e = GraphBatch::new(&[a, b]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "graph batch: 1 of 2 graphs have edge weights; all or none must"
    );
    assert!(GraphBatch::<2>::new(&[]).is_err());

    // Features and edges of different graphs: a panic naming the layer and both counts.
    let gcn = GcnConv::<2, 2>::init().unwrap();
    let panic = std::panic::catch_unwind(|| gcn.forward((x, &edges))).unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    assert_eq!(
        message,
        "GcnConv: node features of 4 nodes with edges between 3 nodes"
    );
}

#[test]
fn edge_features_batch_and_index_add_checks_its_index() {
    use typed_torch::graph::index_add;
    let graph = |n: usize, pairs: &[(i64, i64)], fill: f32| {
        let x = Tensor::<(Dyn, D<2>)>::zeros_dyn(&[n]).unwrap();
        let features = Tensor::<(Dyn, D<3>)>::ones_dyn(&[pairs.len()]).unwrap() * fill;
        Graph::from_edges(x, Edges::from_pairs(pairs, n).unwrap())
            .unwrap()
            .with_edge_features(features)
            .unwrap()
    };
    let batch =
        GraphBatch::new(&[graph(2, &[(0, 1)], 1.0), graph(3, &[(0, 2), (2, 1)], 2.0)]).unwrap();
    let features = batch.graph().edge_features::<3>().unwrap().unwrap();
    assert_eq!(features.to_vec(), [1., 1., 1., 2., 2., 2., 2., 2., 2.]);
    let e = graph(2, &[(0, 1)], 1.0).edge_features::<4>().unwrap_err();
    assert!(e.to_string().contains("D<4>"), "{e}");

    let base = Tensor::<(Dyn, D<2>)>::zeros_dyn(&[3]).unwrap();
    let rows = Tensor::<(Dyn, D<2>)>::ones_dyn(&[2]).unwrap();
    let index = Tensor::<(Dyn,), i64>::from_slice_dyn(&[0, 3], &[2]).unwrap();
    let e = index_add(&base, &index, &rows).unwrap_err();
    assert_eq!(e.to_string(), "index_add index: entry 1 is 3, outside 0..3");
}
