//! Compiled steps against eager training (forward, `cross_entropy`, `backward`, optimizer step).
use super::{grad_gap, param_gap, twins, Mlp64};
use typed_torch::compiled::{Threads, TrainStep};
use typed_torch::loss::{cross_entropy, Mean};
use typed_torch::nn::{Module, Params};
use typed_torch::optim::{Adam, AdamConfig, Optimizer, ParamGroup, Sgd, SgdConfig};
use typed_torch::{Dyn, Element, Tensor, D};
use typed_torch_models::mlp::Mlp;

type Images<E> = Tensor<(Dyn, D<1>, D<28>, D<28>), E>;
type Labels = Tensor<(Dyn,), i64>;

/// A random batch (drawn while no other test seeds the generator, see `twins`).
fn batch<E: Element>(n: usize) -> (Images<E>, Labels) {
    let _shared = crate::common::share_generator();
    let x = Images::<f64>::randn_dyn(&[n]).unwrap().to_kind::<E>();
    let y = Tensor::from_tch(tch::Tensor::randint(10, [n as i64], tch::kind::INT64_CPU)).unwrap();
    (x, y)
}

/// The eager step: gradients set to none, forward, loss, backward.
fn eager_gradients<M, E>(model: &M, x: &Images<E>, y: &Labels) -> f64
where
    E: typed_torch::Float,
    M: Module<Images<E>, Output = Tensor<(Dyn, D<10>), E>> + Params,
{
    model.for_each_param(|_, p| {
        let mut p = p.shallow_clone();
        p.zero_grad();
    });
    let loss = cross_entropy(&model.forward(x.clone()), y, Mean);
    loss.backward();
    loss.as_tch().double_value(&[])
}

#[test]
fn f64_gradients_are_autograds_at_batch_1_8_32() {
    for n in [1, 8, 32] {
        let (eager, mut compiled) = twins::<Mlp64>(n as i64);
        let (x, y) = batch::<f64>(n);
        let expected = eager_gradients(&eager, &x, &y);
        let mut step = TrainStep::new();
        let loss = step.gradients(&mut compiled, &x, &y).unwrap();
        assert!(
            (loss - expected).abs() < 1e-12,
            "batch {n}: loss {loss} vs {expected}"
        );
        let (params, grads) = (param_gap(&compiled, &eager), grad_gap(&compiled, &eager));
        assert_eq!(params, 0.0);
        assert!(
            grads < 1e-12,
            "batch {n}: gradients {grads:e} (relative) from autograd's"
        );
    }
}

#[test]
fn f32_gradients_are_within_1e6_relative_of_autograds() {
    for n in [1, 8, 32, 256] {
        let (eager, mut compiled) = twins::<Mlp>(100 + n as i64);
        let (x, y) = batch::<f32>(n);
        let expected = eager_gradients(&eager, &x, &y);
        let mut step = TrainStep::new();
        let loss = step.gradients(&mut compiled, &x, &y).unwrap();
        assert!((loss - expected).abs() < 1e-6 * expected.abs(), "batch {n}");
        let grads = grad_gap(&compiled, &eager);
        assert!(
            grads < 1e-6,
            "batch {n}: gradients {grads:e} (relative) from autograd's"
        );
    }
}

/// Plain SGD is applied inside the backward pass; 20 steps over batches of changing size (the
/// buffers are remade) follow eager SGD to rounding.
#[test]
fn fused_sgd_follows_eager_sgd() {
    let (mut eager, mut compiled) = twins::<Mlp64>(7);
    let config = SgdConfig {
        lr: 0.1,
        ..Default::default()
    };
    let mut eager_opt = Sgd::new(&mut eager, config).unwrap();
    let mut opt = Sgd::new(&mut compiled, config).unwrap();
    let mut step = TrainStep::new();
    for i in 0..20 {
        let (x, y) = batch::<f64>([1, 5, 1, 32][i % 4]);
        let expected = eager_gradients(&eager, &x, &y);
        eager_opt.step(&mut eager).unwrap();
        let loss = step.run(&mut compiled, &mut opt, &x, &y).unwrap();
        assert!((loss - expected).abs() < 1e-12, "step {i}");
    }
    let params = param_gap(&compiled, &eager);
    assert!(params < 1e-12, "{params:e}");
    assert_eq!(opt.steps_taken(), 20);
    // Nothing was stored: the fused path does not write gradients.
    compiled.for_each_param(|name, p| assert!(!p.grad().defined(), "{name}"));
}

#[test]
fn fused_sgd_in_f32_stays_within_1e6_relative() {
    let (mut eager, mut compiled) = twins::<Mlp>(8);
    let config = SgdConfig {
        lr: 0.05,
        ..Default::default()
    };
    let mut eager_opt = Sgd::new(&mut eager, config).unwrap();
    let mut opt = Sgd::new(&mut compiled, config).unwrap();
    let mut step = TrainStep::new();
    for _ in 0..10 {
        let (x, y) = batch::<f32>(1);
        eager_gradients(&eager, &x, &y);
        eager_opt.step(&mut eager).unwrap();
        step.run(&mut compiled, &mut opt, &x, &y).unwrap();
    }
    compiled.for_each_param(|name, p| {
        let mut q = None;
        eager.for_each_param(|n, e| {
            if n == name {
                q = Some(e.shallow_clone());
            }
        });
        let q = q.unwrap();
        let rel = (p - &q).abs().max().double_value(&[]) / q.abs().max().double_value(&[]);
        assert!(rel < 1e-6, "{name}: {rel:e}");
    });
}

/// Momentum SGD and Adam are not fused: the step writes the gradients and the optimizer steps.
#[test]
fn momentum_sgd_and_adam_step_from_the_written_gradients() {
    let (mut eager, mut compiled) = twins::<Mlp64>(9);
    let config = SgdConfig {
        lr: 0.05,
        momentum: 0.9,
        nesterov: true,
        ..Default::default()
    };
    let mut eager_opt = Sgd::new(&mut eager, config).unwrap();
    let mut opt = Sgd::new(&mut compiled, config).unwrap();
    let mut step = TrainStep::new();
    for _ in 0..5 {
        let (x, y) = batch::<f64>(4);
        eager_gradients(&eager, &x, &y);
        eager_opt.step(&mut eager).unwrap();
        step.run(&mut compiled, &mut opt, &x, &y).unwrap();
    }
    let (params, grads) = (param_gap(&compiled, &eager), grad_gap(&compiled, &eager));
    assert!(params < 1e-12 && grads < 1e-12, "{params:e} {grads:e}");

    let (mut eager, mut compiled) = twins::<Mlp64>(10);
    let mut eager_opt = Adam::new(&mut eager, AdamConfig::default()).unwrap();
    let mut opt = Adam::new(&mut compiled, AdamConfig::default()).unwrap();
    let mut step = TrainStep::new();
    for i in 0..5 {
        let (x, y) = batch::<f64>(3);
        eager_opt.zero_grad();
        eager_gradients(&eager, &x, &y);
        eager_opt.step(&mut eager).unwrap();
        if i == 2 {
            // Gradients set to none in between: the step gives the parameters new ones.
            opt.zero_grad();
        }
        step.run(&mut compiled, &mut opt, &x, &y).unwrap();
    }
    let (params, grads) = (param_gap(&compiled, &eager), grad_gap(&compiled, &eager));
    assert!(params < 1e-12 && grads < 1e-12, "{params:e} {grads:e}");
}

#[test]
fn a_label_outside_the_classes_is_an_error_and_changes_nothing() {
    let (reference, mut model) = twins::<Mlp64>(11);
    let mut opt = Sgd::new(&mut model, SgdConfig::default()).unwrap();
    let mut step = TrainStep::new();
    let (x, _) = batch::<f64>(2);
    let y = Labels::from_slice_dyn(&[3, 10], &[2]).unwrap();
    let err = step
        .run(&mut model, &mut opt, &x, &y)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("cross_entropy of sizes [2, 10] and [2]") && err.contains("class"),
        "{err}"
    );
    let params = param_gap(&model, &reference);
    assert_eq!(params, 0.0);
    assert_eq!(opt.steps_taken(), 0);
    // The next good batch trains as usual.
    let y = Labels::from_slice_dyn(&[3, 9], &[2]).unwrap();
    step.run(&mut model, &mut opt, &x, &y).unwrap();
    assert_eq!(opt.steps_taken(), 1);
}

#[test]
fn frozen_parameters_stay_and_the_rest_train_as_eagerly() {
    let (mut eager, mut compiled) = twins::<Mlp64>(12);
    let config = SgdConfig {
        lr: 0.1,
        ..Default::default()
    };
    let frozen = || vec![ParamGroup::prefix("1").frozen()];
    let mut eager_opt = Sgd::with_groups(&mut eager, config, frozen()).unwrap();
    let mut opt = Sgd::with_groups(&mut compiled, config, frozen()).unwrap();
    let before = compiled.clone_weights();
    let mut step = TrainStep::new();
    for _ in 0..3 {
        let (x, y) = batch::<f64>(2);
        eager_gradients(&eager, &x, &y);
        eager_opt.step(&mut eager).unwrap();
        step.run(&mut compiled, &mut opt, &x, &y).unwrap();
    }
    let params = param_gap(&compiled, &eager);
    assert!(params < 1e-12, "{params:e}");
    compiled.for_each_param(|name, p| {
        let unchanged = p.equal(&before[name]);
        assert_eq!(unchanged, name.starts_with("1."), "{name}");
    });
}

trait CloneWeights {
    fn clone_weights(&self) -> std::collections::HashMap<String, tch::Tensor>;
}

impl<M: Params> CloneWeights for M {
    fn clone_weights(&self) -> std::collections::HashMap<String, tch::Tensor> {
        let mut out = std::collections::HashMap::new();
        self.for_each_param(|name, p| {
            out.insert(name.to_string(), p.copy());
        });
        out
    }
}

/// `Threads::Auto` runs a batch-1 step of the MLP on one thread and puts the count back.
#[test]
fn the_thread_count_is_restored_after_each_step() {
    let (_, mut model) = twins::<Mlp>(13);
    let mut opt = Sgd::new(&mut model, SgdConfig::default()).unwrap();
    tch::set_num_threads(2);
    let mut step = TrainStep::new();
    for n in [1, 1, 64, 1] {
        let (x, y) = batch::<f32>(n);
        step.run(&mut model, &mut opt, &x, &y).unwrap();
        assert_eq!(tch::get_num_threads(), 2);
    }
    let mut step = TrainStep::new().threads(Threads::Unchanged);
    let (x, y) = batch::<f32>(1);
    step.run(&mut model, &mut opt, &x, &y).unwrap();
    assert_eq!(tch::get_num_threads(), 2);
}
