//! The scatter operations of `typed_torch::graph` against `torch_geometric.utils` on the same
//! inputs: values and gradients in f64, and the errors for indices that do not fit.
use crate::common::{assert_close, assert_close_to, input};
use typed_torch::graph::{degree, scatter, segment_softmax, Aggregate};
use typed_torch::{Dyn, Error, Shape, Tensor, D};

const NODES: usize = 5;

/// `sum(out * w)`: a loss whose gradient differs for every entry.
fn weighted_sum<S: Shape>(out: &Tensor<S, f64>, w: &Tensor<S, f64>) -> Tensor<(), f64> {
    Tensor::from_tch((out.as_tch() * w.as_tch()).sum(tch::Kind::Double)).unwrap()
}

#[test]
fn scatter_matches_torch_geometric() {
    for (name, aggregate) in [
        ("sum", Aggregate::Sum),
        ("mean", Aggregate::Mean),
        ("max", Aggregate::Max),
        ("min", Aggregate::Min),
    ] {
        let case = format!("graph.scatter_{name}");
        let x = input::<(Dyn, D<3>), f64>(&case, 0).requires_grad();
        let index = input::<(Dyn,), i64>(&case, 1);
        let w = input::<(Dyn, D<3>), f64>(&case, 2);
        let out = scatter(&x, &index, NODES, aggregate).unwrap();
        assert_close(&case, &out, 1e-12);
        weighted_sum(&out, &w).backward();
        assert_close_to(&case, "grad0", &x.grad().unwrap(), 1e-12);
    }
}

#[test]
fn segment_softmax_and_degree_match_torch_geometric() {
    let case = "graph.softmax_1d";
    let x = input::<(Dyn,), f64>(case, 0).requires_grad();
    let index = input::<(Dyn,), i64>(case, 1);
    let out = segment_softmax(&x, &index, NODES).unwrap();
    assert_close(case, &out, 1e-12);
    weighted_sum(&out, &input(case, 2)).backward();
    assert_close_to(case, "grad0", &x.grad().unwrap(), 1e-12);

    let case = "graph.softmax_2d";
    let x = input::<(Dyn, D<2>), f64>(case, 0).requires_grad();
    let out = segment_softmax(&x, &index, NODES).unwrap();
    assert_close(case, &out, 1e-12);
    weighted_sum(&out, &input(case, 2)).backward();
    assert_close_to(case, "grad0", &x.grad().unwrap(), 1e-12);

    assert_close(
        "graph.degree",
        &degree::<f64, _>(&index, NODES).unwrap(),
        0.0,
    );
}

#[test]
fn indices_that_do_not_fit_are_errors_naming_the_entry() {
    let x = Tensor::<(Dyn, D<2>)>::zeros_dyn(&[3]).unwrap();
    let index = |v: &[i64]| Tensor::<(Dyn,), i64>::from_slice_dyn(v, &[v.len()]).unwrap();
    let err = scatter(&x, &index(&[0, 4, 1]), 4, Aggregate::Sum).unwrap_err();
    assert!(
        matches!(
            err,
            Error::IndexOutOfRange {
                position: 1,
                value: 4,
                size: 4,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(err.to_string(), "scatter index: entry 1 is 4, outside 0..4");
    let err = scatter(&x, &index(&[0, 1, -1]), 4, Aggregate::Max).unwrap_err();
    assert!(
        matches!(
            err,
            Error::IndexOutOfRange {
                position: 2,
                value: -1,
                ..
            }
        ),
        "{err}"
    );
    let err = scatter(&x, &index(&[0, 1]), 4, Aggregate::Mean).unwrap_err();
    assert!(err.to_string().contains("2 entries for 3 rows"), "{err}");
    let err = degree::<f32, _>(&index(&[0, 7]), 5).unwrap_err();
    assert!(err.to_string().contains("entry 1 is 7"), "{err}");
}

#[test]
fn self_loops_match_torch_geometric() {
    use typed_torch::graph::{add_remaining_self_loops, remove_self_loops};
    let case = "graph.add_loops";
    let edges = input::<(D<2>, Dyn), i64>(case, 0);
    let w = input::<(Dyn,), f64>(case, 1).requires_grad();
    let (with_loops, weight) = add_remaining_self_loops(&edges, Some(&w), 2.0, NODES);
    assert_close(case, &with_loops, 0.0);
    let weight = weight.unwrap();
    assert_close_to(case, "grad0", &weight, 1e-15);
    weighted_sum(&weight, &input(case, 2)).backward();
    assert_close_to(case, "grad1", &w.grad().unwrap(), 1e-15);

    let case = "graph.remove_loops";
    let (kept, weight) = remove_self_loops(&edges, Some(&input::<(Dyn,), f64>(case, 1)));
    assert_close(case, &kept, 0.0);
    assert_close_to(case, "grad0", &weight.unwrap(), 0.0);
}
