//! What the optimizers promise beyond matching `torch.optim`: the fused CPU kernels (threaded on
//! large models) agree with the tensor-op path, `zero_grad` resets gradients as PyTorch does, misuse is an
//! error naming the problem, and learning rates can be changed between steps.
use typed_torch::loss::{self, Mean};
use typed_torch::nn::{Linear, Module, ParamMap, Params, ReLU, ToKind};
use typed_torch::optim::{
    set_fused_kernels, set_openmp_team, Adam, AdamConfig, LearningRates, LrScheduler, OneCycleLR,
    Optimizer, ParamGroup, Sgd, SgdConfig,
};
use typed_torch::prelude::*;
use typed_torch::{hlist, Error, HList, Tensor, D};

/// 2 * 65,792 parameters: large enough for the fused kernels to split the work over threads.
type Wide = HList![Linear<256, 256>, ReLU, Linear<256, 256>];

type Batch = (Tensor<(D<32>, D<256>)>, Tensor<(D<32>, D<256>)>);

/// Two independent copies of one random model, and five batches. (Tests run in parallel and
/// share libtorch's generator, so each test draws everything it needs once, up front.)
fn two_wide_models_and_batches() -> (Wide, Wide, Vec<Batch>) {
    let model: Wide = hlist![Linear::init().unwrap(), ReLU, Linear::init().unwrap()];
    let copy = model.map_params(|_, t| t.detach().copy().set_requires_grad(true));
    let batches = (0..5).map(|_| (Tensor::randn(), Tensor::randn())).collect();
    (model, copy, batches)
}

fn train_wide<O: Optimizer<Wide>>(model: &mut Wide, opt: &mut O, batches: &[Batch]) {
    for (x, y) in batches {
        let (x, y) = (x.clone(), y.clone());
        opt.zero_grad();
        loss::mse(&model.forward(x), &y, Mean).backward();
        opt.step(model).unwrap();
    }
}

fn max_diff(a: &Wide, b: &Wide) -> f64 {
    let mut worst: f64 = 0.0;
    let mut theirs = Vec::new();
    b.for_each_param(|_, t| theirs.push(t.shallow_clone()));
    let mut i = 0;
    a.for_each_param(|_, t| {
        worst = worst.max((t - &theirs[i]).abs().max().double_value(&[]));
        i += 1;
    });
    worst
}

#[test]
fn fused_threaded_kernels_agree_with_the_tensor_op_path() {
    // The kernels' threads come from libtorch's OpenMP team; builds without one use a pool of
    // their own, checked here too. Two threads at least, so the work is split even on one core.
    tch::set_num_threads(tch::get_num_threads().max(2));
    for openmp in [true, false] {
        set_openmp_team(openmp);
        fused_kernels_agree_with_the_tensor_op_path();
    }
    set_openmp_team(true);
}

fn fused_kernels_agree_with_the_tensor_op_path() {
    for amsgrad in [false, true] {
        let config = AdamConfig {
            lr: 1e-3,
            weight_decay: 0.01,
            amsgrad,
            ..AdamConfig::adamw()
        };
        let (mut fused, mut ops, batches) = two_wide_models_and_batches();
        let initial = ops.map_params(|_, t| t.copy());
        let mut opt = Adam::new(&mut fused, config).unwrap();
        train_wide(&mut fused, &mut opt, &batches);
        set_fused_kernels(false);
        let mut opt = Adam::new(&mut ops, config).unwrap();
        train_wide(&mut ops, &mut opt, &batches);
        set_fused_kernels(true);
        let diff = max_diff(&fused, &ops);
        assert!(
            diff < 1e-6,
            "Adam (amsgrad {amsgrad}): fused and op paths differ by {diff:e}"
        );
        assert!(
            max_diff(&fused, &initial) > 1e-3,
            "training did not move the weights"
        );
    }
    let config = SgdConfig {
        lr: 0.05,
        momentum: 0.9,
        nesterov: true,
        weight_decay: 1e-3,
        ..Default::default()
    };
    let (mut fused, mut ops, batches) = two_wide_models_and_batches();
    let mut opt = Sgd::new(&mut fused, config).unwrap();
    train_wide(&mut fused, &mut opt, &batches);
    set_fused_kernels(false);
    let mut opt = Sgd::new(&mut ops, config).unwrap();
    train_wide(&mut ops, &mut opt, &batches);
    set_fused_kernels(true);
    assert!(max_diff(&fused, &ops) < 1e-6);
}

#[test]
fn zero_grad_sets_gradients_to_none_and_backward_accumulates() {
    tch::manual_seed(0);
    let mut model = hlist![
        Linear::<3, 4>::init().unwrap(),
        ReLU,
        Linear::<4, 2>::init().unwrap()
    ];
    let mut opt = Sgd::new(&mut model, SgdConfig::default()).unwrap();
    let x = Tensor::<(D<5>, D<3>)>::randn();
    model.forward(x.clone()).square().sum_all().backward();
    // gather_grads lays every gradient out like the parameters.
    let mut per_param = 0.0;
    model.for_each_param(|_, t| per_param += t.grad().square().sum(None).double_value(&[]));
    let flat = opt.flat().gather_grads();
    assert_eq!(flat.size(), opt.flat().params().size());
    let flat = flat.square().sum(None).double_value(&[]);
    assert!(per_param > 0.0);
    assert!(
        (per_param - flat).abs() <= 1e-6 * flat,
        "{per_param} vs {flat}"
    );
    // As PyTorch's zero_grad(set_to_none=True).
    opt.zero_grad();
    model.for_each_param(|name, t| {
        assert!(!t.grad().defined(), "{name} still has a gradient");
    });
    assert_eq!(
        opt.flat().gather_grads().abs().sum(None).double_value(&[]),
        0.0
    );
    // A second backward before zero_grad adds to the first, as in PyTorch.
    model.forward(x.clone()).sum_all().backward();
    let once = opt.flat().gather_grads();
    model.forward(x).sum_all().backward();
    let twice = opt.flat().gather_grads();
    assert!(once.abs().sum(None).double_value(&[]) > 0.0);
    assert!((twice - once * 2.0).abs().max().double_value(&[]) < 1e-6);
}

#[test]
fn a_parameter_without_a_gradient_steps_as_with_a_zero_one() {
    // Only the first layer gets a gradient; plain SGD then leaves the second unchanged, and with
    // weight decay shrinks it as a zero gradient would.
    tch::manual_seed(0);
    for weight_decay in [0.0, 0.1] {
        let mut model = hlist![
            Linear::<3, 4, (), f64>::init().unwrap(),
            Linear::<4, 2, (), f64>::init().unwrap()
        ];
        let before = model.tail.head.weight.as_tch().copy();
        let mut opt = Sgd::new(
            &mut model,
            SgdConfig {
                lr: 0.5,
                weight_decay,
                ..Default::default()
            },
        )
        .unwrap();
        opt.zero_grad();
        model
            .head
            .forward(Tensor::<(D<5>, D<3>), f64>::randn())
            .sum_all()
            .backward();
        opt.step(&mut model).unwrap();
        let expected = &before * (1.0 - 0.5 * weight_decay);
        let after = model.tail.head.weight.as_tch();
        assert!((after - expected).abs().max().double_value(&[]) < 1e-15);
    }
}

#[test]
fn a_model_converted_after_the_optimizer_is_an_error() {
    let mut model = hlist![Linear::<3, 4, (), f64>::init().unwrap()];
    let mut opt = Adam::new(&mut model, AdamConfig::default()).unwrap();
    let mut converted: HList![Linear<3, 4, (), f64>] = model.to_kind::<f32>().to_kind::<f64>();
    converted
        .forward(Tensor::<(D<2>, D<3>), f64>::randn())
        .sum_all()
        .backward();
    let before = converted.head.weight.to_vec();
    let err = opt.step(&mut converted).unwrap_err();
    assert!(
        err.to_string()
            .contains("`0.weight` no longer lives in the optimizer's buffer"),
        "{err}"
    );
    assert_eq!(
        converted.head.weight.to_vec(),
        before,
        "a failed step changed the model"
    );
}

#[test]
fn models_without_trainable_parameters_and_bad_settings_are_errors() {
    let mut activations = hlist![ReLU];
    let err = Sgd::new(&mut activations, SgdConfig::default())
        .err()
        .unwrap();
    assert!(err.to_string().contains("no trainable parameters"), "{err}");
    let mut all_frozen = hlist![Linear::<2, 2>::init().unwrap()];
    let frozen = vec![ParamGroup::prefix("0").frozen()];
    assert!(Sgd::with_groups(&mut all_frozen, SgdConfig::default(), frozen).is_err());
    let mut model = hlist![Linear::<2, 2>::init().unwrap()];
    let bad = [
        SgdConfig {
            lr: -1.0,
            ..Default::default()
        },
        SgdConfig {
            lr: f64::NAN,
            ..Default::default()
        },
        SgdConfig {
            nesterov: true,
            ..Default::default()
        },
    ];
    for config in bad {
        let err = Sgd::new(&mut model, config).err().unwrap();
        assert!(
            matches!(err, Error::Invalid(ref m) if m.starts_with("SGD: ")),
            "{err}"
        );
    }
    let err = Adam::new(
        &mut model,
        AdamConfig {
            betas: (0.9, 1.0),
            ..Default::default()
        },
    );
    assert!(err
        .err()
        .unwrap()
        .to_string()
        .contains("betas must lie in [0, 1)"));
}

#[test]
fn learning_rates_can_change_between_steps() {
    let mut model = hlist![Linear::<2, 1, (), f64>::init().unwrap()];
    let groups = vec![ParamGroup::matching(|n| n.ends_with("bias")).lr(0.0)];
    let mut opt = Sgd::with_groups(
        &mut model,
        SgdConfig {
            lr: 0.5,
            ..Default::default()
        },
        groups,
    )
    .unwrap();
    assert_eq!(opt.group_count(), 2);
    assert_eq!((opt.lr(0), opt.lr(1)), (0.5, 0.0));
    let bias = model.head.bias.to_vec();
    let step = |model: &mut HList![Linear<2, 1, (), f64>], opt: &mut Sgd<_>| {
        let weight = model.head.weight.to_vec();
        opt.zero_grad();
        model
            .forward(Tensor::<(D<1>, D<2>), f64>::ones())
            .sum_all()
            .backward();
        opt.step(model).unwrap();
        // d(sum(x W^T + b))/dW = x = ones, so each weight moves by exactly -lr.
        model.head.weight.to_vec()[0] - weight[0]
    };
    assert!((step(&mut model, &mut opt) + 0.5).abs() < 1e-12);
    opt.set_lr(0, 0.25);
    assert!((step(&mut model, &mut opt) + 0.25).abs() < 1e-12);
    assert_eq!(model.head.bias.to_vec(), bias, "the lr-0 group moved");
}

#[test]
fn optimizer_state_reads_as_the_model_type() {
    let mut model = hlist![
        Linear::<3, 4, (), f64>::init().unwrap(),
        ReLU,
        Linear::<4, 2, (), f64>::init().unwrap()
    ];
    let groups = vec![ParamGroup::prefix("2").frozen()];
    let mut opt = Adam::with_groups(&mut model, AdamConfig::default(), groups).unwrap();
    model
        .forward(Tensor::<(D<5>, D<3>), f64>::randn())
        .square()
        .sum_all()
        .backward();
    let grad0 = model.head.weight.grad().unwrap();
    opt.step(&mut model).unwrap();
    // After one step, Adam's first moment is (1 - beta1) * gradient.
    let moments: HList![Linear<3, 4, (), f64>, ReLU, Linear<4, 2, (), f64>] =
        opt.flat().shaped_like(&model, opt.exp_avg());
    let expected = grad0 * 0.1;
    let diff = (moments.head.weight.clone() - &expected).abs();
    assert!(diff.as_tch().max().double_value(&[]) < 1e-15);
    let frozen = &moments.tail.tail.head.weight;
    assert_eq!(
        frozen.abs().sum_all().item(),
        0.0,
        "frozen parameters have no state"
    );
}

#[test]
fn derived_struct_models_train_with_per_group_settings() {
    use typed_torch::loss::cross_entropy;
    use typed_torch::Dyn;
    use typed_torch_models::cnn::Cnn;
    let mut model = Cnn::<f32, typed_torch::Cpu>::init().unwrap();
    model.set_train(false); // no dropout
    let groups = vec![ParamGroup::prefix("classifier").lr(2e-2)];
    let mut opt = Adam::with_groups(
        &mut model,
        AdamConfig {
            lr: 5e-3,
            ..Default::default()
        },
        groups,
    )
    .unwrap();
    assert_eq!(opt.group_count(), 2);
    let names: Vec<&str> = opt.flat().names().collect();
    assert_eq!(names.first(), Some(&"features.0.weight"));
    assert_eq!(names.last(), Some(&"classifier.6.bias"));
    let x = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::randn_dyn(&[8]).unwrap();
    let y = Tensor::<(Dyn,), i64>::from_slice_dyn(&[0, 1, 2, 3, 4, 5, 6, 7], &[8]).unwrap();
    let mut old = Vec::new();
    model.for_each_param(|_, t| old.push(t.copy()));
    opt.zero_grad();
    cross_entropy(&model.forward(x), &y, Mean).backward();
    opt.step(&mut model).unwrap();
    // Adam's first step moves every element with a gradient by its group's learning rate
    // (m / sqrt(v) = sign(g)), so the largest move in each group is that group's rate.
    let mut largest = [0.0f64; 2];
    let mut i = 0;
    model.for_each_param(|name, t| {
        let moved = (t - &old[i]).abs().max().double_value(&[]);
        let group = usize::from(name.starts_with("classifier"));
        largest[group] = largest[group].max(moved);
        i += 1;
    });
    assert!(
        (largest[0] - 5e-3).abs() < 1e-6,
        "features moved {}",
        largest[0]
    );
    assert!(
        (largest[1] - 2e-2).abs() < 1e-6,
        "classifier moved {}",
        largest[1]
    );
}

#[test]
fn momentum_cycling_needs_an_optimizer_with_momentum() {
    let mut model = hlist![Linear::<3, 4>::init().unwrap()];
    // SGD without momentum keeps no momentum buffer: PyTorch would switch momentum on, here the
    // scheduler is refused and nothing changes.
    let mut sgd = Sgd::new(&mut model, SgdConfig::default()).unwrap();
    let lr = sgd.lr(0);
    let err = LrScheduler::new(&mut sgd, OneCycleLR::new(0.1, 10)).unwrap_err();
    assert!(err.to_string().contains("cycle_momentum"), "{err}");
    assert_eq!((sgd.lr(0), sgd.momentum(0)), (lr, None));
    let no_cycling = OneCycleLR {
        cycle_momentum: false,
        ..OneCycleLR::new(0.1, 10)
    };
    LrScheduler::new(&mut sgd, no_cycling).unwrap();
    assert_eq!(sgd.momentum(0), None);

    // With momentum the cycle starts at max_momentum and reaches base_momentum at the peak rate.
    let mut model = hlist![Linear::<3, 4>::init().unwrap()];
    let mut adam = Adam::new(&mut model, AdamConfig::default()).unwrap();
    assert_eq!(adam.momentum(0), Some(0.9));
    let mut sched = LrScheduler::new(&mut adam, OneCycleLR::new(0.1, 10)).unwrap();
    assert_eq!(adam.momentum(0), Some(0.95));
    for _ in 0..2 {
        sched.step(&mut adam).unwrap(); // the peak is at step 0.3 * 10 - 1 = 2
    }
    assert!((adam.momentum(0).unwrap() - 0.85).abs() < 1e-15);
    assert!((adam.lr(0) - 0.1).abs() < 1e-15);
}
