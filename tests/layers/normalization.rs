//! Normalisation layers against `torch.nn`: outputs in train and eval mode, running statistics
//! after several training steps, `state_dict` names, and gradients.

use crate::common::{assert_close, input, load_state, reference, share_generator};
use typed_torch::check_gradients;
use typed_torch::nn::{BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm, Module, Params, ToKind};
use typed_torch::prelude::*;
use typed_torch::{Dyn, Shape, Tensor, D};

fn state_names<M: Params>(m: &M) -> Vec<String> {
    let mut names = Vec::new();
    m.for_each_tensor(|n, _| names.push(n.to_string()));
    names
}

fn assert_state<M: Params>(m: &M, prefix: &str) {
    m.for_each_tensor(|name, t| {
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
    check_batch_norm::<_, (D<6>, D<3>)>(BatchNorm1d::<3, (), f64>::init().unwrap(), "bn1d");
    check_batch_norm::<_, (D<4>, D<3>, D<5>)>(BatchNorm1d::<3, (), f64>::init().unwrap(), "bn1d_l");
    check_batch_norm::<_, (D<3>, D<2>, D<4>, D<4>)>(
        BatchNorm2d::<2, (), f64>::init().unwrap(),
        "bn2d",
    );
    // Eval mode in f32, from the statistics PyTorch reached after three training steps.
    let mut bn = BatchNorm2d::<2, (), f64>::init().unwrap();
    load_state(&mut bn, "norm.bn2d.after");
    bn.set_train(false);
    assert_f32_close::<_, (D<3>, D<2>, D<4>, D<4>)>(&bn, "norm.bn2d.eval");
}

#[test]
fn layer_and_group_norm_match_torch() {
    let mut ln = LayerNorm::<5, (), f64>::init().unwrap();
    load_state(&mut ln, "norm.ln.param");
    assert_close(
        "norm.ln",
        &ln.forward(input::<(D<2>, D<3>, D<5>), f64>("norm.ln", 0)),
        1e-12,
    );
    assert_close(
        "norm.ln_rank2",
        &ln.forward(input::<(Dyn, D<5>), f64>("norm.ln_rank2", 0)),
        1e-12,
    );
    assert_close(
        "norm.ln_rank4",
        &ln.forward(input::<(D<2>, D<2>, D<3>, D<5>), f64>("norm.ln_rank4", 0)),
        1e-12,
    );
    assert_f32_close::<_, (D<2>, D<3>, D<5>)>(&ln, "norm.ln");
    let mut gn = GroupNorm::<Groups<2>, 4, (), f64>::init().unwrap();
    assert_eq!(gn.param_names(), ["weight", "bias"]);
    load_state(&mut gn, "norm.gn.param");
    assert_close(
        "norm.gn",
        &gn.forward(input::<(D<3>, D<4>, D<3>, D<3>), f64>("norm.gn", 0)),
        1e-12,
    );
    assert_close(
        "norm.gn_rank3",
        &gn.forward(input::<(Dyn, D<4>, Dyn), f64>("norm.gn_rank3", 0)),
        1e-12,
    );
    assert_f32_close::<_, (D<3>, D<4>, D<3>, D<3>)>(&gn, "norm.gn");
}

#[test]
fn batch_norm_in_f32_trains_like_torch() {
    // The f64 layer converted to f32 follows PyTorch's three f64 training steps within 1e-5,
    // running statistics included, and counts its steps without touching the original's counter.
    let mut bn = BatchNorm1d::<3, (), f64>::init().unwrap();
    load_state(&mut bn, "norm.bn1d_l.param");
    let narrow = bn.to_kind::<f32>();
    for i in 0..3 {
        let case = format!("norm.bn1d_l.train{i}");
        let y = narrow.forward(input::<(D<4>, D<3>, D<5>), f64>(&case, 0).to_kind::<f32>());
        assert_close(&case, &y.to_kind::<f64>(), 1e-5);
    }
    narrow.to_kind::<f64>().for_each_tensor(|name, t| {
        let expected = reference(&format!("norm.bn1d_l.after.{name}"));
        let diff = (t - &expected).abs().max().double_value(&[]);
        assert!(diff <= 1e-5, "{name}: off by {diff}");
    });
    assert_eq!(narrow.num_batches_tracked.item(), 3);
    assert_eq!(bn.num_batches_tracked.item(), 0);
    // Converting to the same kind makes a model of its own too: training it leaves the original's
    // statistics and counter alone.
    let same = bn.to_kind::<f64>();
    let _ = same.forward(input::<(D<6>, D<3>), f64>("norm.bn1d.train0", 0));
    assert_eq!(
        (
            same.num_batches_tracked.item(),
            bn.num_batches_tracked.item()
        ),
        (1, 0)
    );
    assert!(!same.running_mean.as_tch().equal(bn.running_mean.as_tch()));
}

#[test]
fn batch_norm_defaults_are_torchs() {
    let bn = BatchNorm2d::<4, (), f64>::init().unwrap();
    assert!(bn.train && bn.momentum == 0.1 && bn.eps == 1e-5);
    assert_eq!(bn.weight.to_vec(), [1.0; 4]);
    assert_eq!(bn.bias.to_vec(), [0.0; 4]);
    assert_eq!(bn.running_mean.to_vec(), [0.0; 4]);
    assert_eq!(bn.running_var.to_vec(), [1.0; 4]);
    assert_eq!(bn.num_batches_tracked.item(), 0);
    let ln = LayerNorm::<3, (), f64>::init().unwrap();
    assert_eq!(
        (ln.weight.to_vec(), ln.bias.to_vec(), ln.eps),
        (vec![1.0; 3], vec![0.0; 3], 1e-5)
    );
    let gn = GroupNorm::<Groups<2>, 6, (), f64>::init().unwrap();
    assert_eq!(
        (gn.weight.to_vec(), gn.bias.to_vec(), gn.eps),
        (vec![1.0; 6], vec![0.0; 6], 1e-5)
    );
}

#[test]
#[should_panic(expected = "Expected more than 1 value per channel when training")]
fn batch_norm_refuses_one_value_per_channel_in_training() {
    let _generator = share_generator();
    let bn = BatchNorm1d::<3, (), f64>::init().unwrap();
    let _ = bn.forward(Tensor::<(D<1>, D<3>), f64>::randn());
}

#[test]
fn batch_norm_takes_one_value_per_channel_in_eval() {
    let _generator = share_generator();
    let mut bn = BatchNorm1d::<3, (), f64>::init().unwrap();
    bn.set_train(false);
    let x = Tensor::<(D<1>, D<3>), f64>::randn();
    let y = bn.forward(x.clone());
    let expected = x
        .to_vec()
        .iter()
        .map(|v| v / (1.0f64 + 1e-5).sqrt())
        .collect::<Vec<_>>();
    let diff = y
        .to_vec()
        .iter()
        .zip(&expected)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    assert!(diff < 1e-15, "{diff}");
}

#[test]
fn normalisation_gradients_match_finite_differences() {
    let _generator = share_generator();
    tch::manual_seed(6);
    let x = Tensor::<(D<4>, D<3>, D<2>, D<2>), f64>::randn();
    let w = Tensor::<(D<4>, D<3>, D<2>, D<2>), f64>::randn();
    let loss = |y: Tensor<(D<4>, D<3>, D<2>, D<2>), f64>| (y * &w).sum_all();
    let mut bn = BatchNorm2d::<3, (), f64>::init().unwrap();
    let r = check_gradients(&mut bn, &x, 1e-6, |m, x| loss(m.forward(x.clone())));
    println!("gradients batch norm (train): {r:?}");
    assert!(r.max_error < 1e-6, "batch norm (train) {r:?}");
    bn.set_train(false);
    let r = check_gradients(&mut bn, &x, 1e-6, |m, x| loss(m.forward(x.clone())));
    println!("gradients batch norm (eval): {r:?}");
    assert!(r.max_error < 1e-6, "batch norm (eval) {r:?}");
    let mut gn = GroupNorm::<Groups<3>, 3, (), f64>::init().unwrap();
    let r = check_gradients(&mut gn, &x, 1e-6, |m, x| loss(m.forward(x.clone())));
    println!("gradients group norm: {r:?}");
    assert!(r.max_error < 1e-6, "group norm {r:?}");
    let x3 = Tensor::<(D<4>, D<3>, D<5>), f64>::randn();
    let w3 = Tensor::<(D<4>, D<3>, D<5>), f64>::randn();
    let mut bn1 = BatchNorm1d::<3, (), f64>::init().unwrap();
    let r = check_gradients(&mut bn1, &x3, 1e-6, |m, x| {
        (m.forward(x.clone()) * &w3).sum_all()
    });
    println!("gradients batch norm 1d (train): {r:?}");
    assert!(r.max_error < 1e-6, "batch norm 1d (train) {r:?}");
    bn1.set_train(false);
    let r = check_gradients(&mut bn1, &x3, 1e-6, |m, x| {
        (m.forward(x.clone()) * &w3).sum_all()
    });
    println!("gradients batch norm 1d (eval): {r:?}");
    assert!(r.max_error < 1e-6, "batch norm 1d (eval) {r:?}");
    let mut gn3 = GroupNorm::<Groups<3>, 3, (), f64>::init().unwrap();
    let r = check_gradients(&mut gn3, &x3, 1e-6, |m, x| {
        (m.forward(x.clone()) * &w3).sum_all()
    });
    println!("gradients group norm rank 3: {r:?}");
    assert!(r.max_error < 1e-6, "group norm rank 3 {r:?}");
    let mut ln = LayerNorm::<2, (), f64>::init().unwrap();
    let x3 = Tensor::<(D<3>, D<4>, D<2>), f64>::randn();
    let r = check_gradients(&mut ln, &x3, 1e-6, |m, x| {
        m.forward(x.clone()).square().sum_all()
    });
    println!("gradients layer norm: {r:?}");
    assert!(r.max_error < 1e-6, "layer norm {r:?}");
}
