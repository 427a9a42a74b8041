//! Normalisation layers against `torch.nn`: outputs in train and eval mode, running statistics
//! after several training steps, `state_dict` names, and gradients.
mod common;

use common::{assert_close, input, load_state, reference};
use typed_torch::nn::{
    check_gradients, BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm, Module, Params, ToKind,
};
use typed_torch::{Shape, Tensor, D};

fn state_names<M: Params>(m: &M) -> Vec<String> {
    let mut names = Vec::new();
    m.visit_state("", &mut |n, _| names.push(n.to_string()));
    names
}

fn assert_state<M: Params>(m: &M, prefix: &str) {
    m.visit_state("", &mut |name, t| {
        let expected = reference(&format!("{prefix}.{name}"));
        let diff = (t - &expected)
            .abs()
            .max()
            .to_kind(tch::Kind::Double)
            .double_value(&[]);
        assert!(diff <= 1e-12, "{prefix}.{name}: off by {diff}");
    });
}

fn check_batch_norm<M, S: Shape>(mut bn: M, name: &str)
where
    M: Params + Module<Tensor<S, f64>, Output = Tensor<S, f64>>,
{
    assert_eq!(
        state_names(&bn),
        [
            "weight",
            "bias",
            "running_mean",
            "running_var",
            "num_batches_tracked"
        ]
    );
    assert_eq!(bn.param_names(), ["weight", "bias"]);
    load_state(&mut bn, &format!("norm.{name}.param"));
    for i in 0..3 {
        let case = format!("norm.{name}.train{i}");
        assert_close(&case, &bn.forward(input::<S, f64>(&case, 0)), 1e-12);
    }
    assert_state(&bn, &format!("norm.{name}.after"));
    bn.set_train(false);
    let case = format!("norm.{name}.eval");
    assert_close(&case, &bn.forward(input::<S, f64>(&case, 0)), 1e-12);
    assert_state(&bn, &format!("norm.{name}.after")); // eval leaves the statistics alone
}

/// The layer converted to f32 stays within 1e-5 of PyTorch's f64 result on the same input.
fn assert_f32_close<M, S: Shape>(layer: &M, case: &str)
where
    M: ToKind,
    M::As<f32>: Module<Tensor<S, f32>, Output = Tensor<S, f32>>,
{
    let narrow = layer.to_kind::<f32>();
    let y = narrow.forward(input::<S, f64>(case, 0).to_kind::<f32>());
    assert_close(case, &y.to_kind::<f64>(), 1e-5);
}

#[test]
fn batch_norm_matches_torch_in_train_and_eval_mode() {
    check_batch_norm::<_, (D<6>, D<3>)>(BatchNorm1d::<3, f64>::new(), "bn1d");
    check_batch_norm::<_, (D<4>, D<3>, D<5>)>(BatchNorm1d::<3, f64>::new(), "bn1d_l");
    check_batch_norm::<_, (D<3>, D<2>, D<4>, D<4>)>(BatchNorm2d::<2, f64>::new(), "bn2d");
    // Eval mode in f32, from the statistics PyTorch reached after three training steps.
    let mut bn = BatchNorm2d::<2, f64>::new();
    load_state(&mut bn, "norm.bn2d.after");
    bn.set_train(false);
    assert_f32_close::<_, (D<3>, D<2>, D<4>, D<4>)>(&bn, "norm.bn2d.eval");
}

#[test]
fn layer_and_group_norm_match_torch() {
    let mut ln = LayerNorm::<5, f64>::new();
    load_state(&mut ln, "norm.ln.param");
    assert_close(
        "norm.ln",
        &ln.forward(input::<(D<2>, D<3>, D<5>), f64>("norm.ln", 0)),
        1e-12,
    );
    let mut gn = GroupNorm::<2, 4, f64>::new();
    assert_eq!(gn.param_names(), ["weight", "bias"]);
    load_state(&mut gn, "norm.gn.param");
    assert_close(
        "norm.gn",
        &gn.forward(input::<(D<3>, D<4>, D<3>, D<3>), f64>("norm.gn", 0)),
        1e-12,
    );
}

#[test]
fn normalisation_gradients_match_finite_differences() {
    tch::manual_seed(6);
    let x = Tensor::<(D<4>, D<3>, D<2>, D<2>), f64>::randn();
    let w = Tensor::<(D<4>, D<3>, D<2>, D<2>), f64>::randn();
    let loss = |y: Tensor<(D<4>, D<3>, D<2>, D<2>), f64>| (y * &w).sum_all();
    let mut bn = BatchNorm2d::<3, f64>::new();
    let r = check_gradients(&mut bn, &x, 1e-6, |m, x| loss(m.forward(x.clone())));
    assert!(r.max_error < 1e-6, "batch norm (train) {r:?}");
    bn.set_train(false);
    let r = check_gradients(&mut bn, &x, 1e-6, |m, x| loss(m.forward(x.clone())));
    assert!(r.max_error < 1e-6, "batch norm (eval) {r:?}");
    let mut gn = GroupNorm::<3, 3, f64>::new();
    let r = check_gradients(&mut gn, &x, 1e-6, |m, x| loss(m.forward(x.clone())));
    assert!(r.max_error < 1e-6, "group norm {r:?}");
    let mut ln = LayerNorm::<2, f64>::new();
    let x3 = Tensor::<(D<3>, D<4>, D<2>), f64>::randn();
    let r = check_gradients(&mut ln, &x3, 1e-6, |m, x| {
        m.forward(x.clone()).square().sum_all()
    });
    assert!(r.max_error < 1e-6, "layer norm {r:?}");
}
