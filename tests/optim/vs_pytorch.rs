//! Optimizer trajectories against `torch.optim`: the same initial weights and six batches, six
//! steps, the same final weights (f64: relative difference <= 1e-10; f32: <= 1e-5).

use crate::common::{load_state, reference};
use typed_torch::loss::{self, Mean};
use typed_torch::nn::{Linear, Module, Params, Tanh};
use typed_torch::optim::{
    Adagrad, AdagradConfig, Adam, AdamConfig, LearningRates, LrScheduler, OneCycleLR, Optimizer,
    ParamGroup, RmsProp, RmsPropConfig, Schedule, Sgd, SgdConfig,
};
use typed_torch::prelude::*;
use typed_torch::{hlist, Float, HList, Tensor, D};

type Mlp<E> = HList![Linear<4, 8, (), E>, Tanh, Linear<8, 3, (), E>];
const STEPS: usize = 6;

fn tag<E: Float>() -> &'static str {
    if E::NAME == "f32" {
        "_f32"
    } else {
        ""
    }
}

/// The reference MLP with PyTorch's initial weights.
fn mlp<E: Float>() -> Mlp<E> {
    let mut model = hlist![
        Linear::<4, 8, (), E>::init().unwrap(),
        Tanh,
        Linear::<8, 3, (), E>::init().unwrap()
    ];
    load_state(&mut model, &format!("optim{}.init", tag::<E>()));
    model
}

/// Six steps of `opt` on the reference batches, clipping the gradient norm first if asked.
fn train<E: Float, O: Optimizer<Mlp<E>>>(model: &mut Mlp<E>, opt: &mut O, clip: Option<f64>) {
    train_scheduled(model, opt, clip, None::<&mut LrScheduler<OneCycleLR>>);
}

/// [`train`], stepping `scheduler` after every optimizer step.
fn train_scheduled<E: Float, O: Optimizer<Mlp<E>>, S: Schedule>(
    model: &mut Mlp<E>,
    opt: &mut O,
    clip: Option<f64>,
    mut scheduler: Option<&mut LrScheduler<S>>,
) {
    for k in 0..STEPS {
        let x: Tensor<(D<5>, D<4>), E> =
            Tensor::from_tch(reference(&format!("optim{}.x{k}", tag::<E>()))).unwrap();
        let y: Tensor<(D<5>, D<3>), E> =
            Tensor::from_tch(reference(&format!("optim{}.y{k}", tag::<E>()))).unwrap();
        opt.zero_grad();
        loss::mse(&model.forward(x), &y, Mean).backward();
        if let Some(max_norm) = clip {
            opt.clip_grad_norm(max_norm);
        }
        opt.step(model).unwrap();
        if let Some(scheduler) = scheduler.as_deref_mut() {
            scheduler.step(opt).unwrap();
        }
    }
}

/// Largest relative difference between `model`'s weights and PyTorch's `optim<tag>.<case>`.
fn assert_matches<E: Float>(case: &str, model: &Mlp<E>, tol: f64) {
    let prefix = format!("optim{}.{case}", tag::<E>());
    let mut worst: f64 = 0.0;
    model.for_each_param(|name, t| {
        let expected = reference(&format!("{prefix}.{name}")).to_kind(tch::Kind::Double);
        let actual = t.to_kind(tch::Kind::Double);
        let initial = reference(&format!("optim{}.init.{name}", tag::<E>()));
        assert!(
            (&expected - initial.to_kind(tch::Kind::Double)).abs().max().double_value(&[]) > 1e-4,
            "{prefix}.{name}: PyTorch's weights did not move, the case tests nothing"
        );
        let scale = expected.abs().max().double_value(&[]).max(1e-3);
        let diff = (&actual - &expected).abs().max().double_value(&[]) / scale;
        assert!(
            diff <= tol,
            "{prefix}.{name}: relative difference {diff:e} > {tol:e}\nours:\n{actual}\nPyTorch:\n{expected}"
        );
        worst = worst.max(diff);
    });
    println!("{prefix}: max relative difference {worst:.2e}");
}

fn check<E: Float, O: Optimizer<Mlp<E>>>(
    case: &str,
    make: impl FnOnce(&mut Mlp<E>) -> O,
    tol: f64,
) {
    let mut model = mlp::<E>();
    let mut opt = make(&mut model);
    train(&mut model, &mut opt, None);
    assert_eq!(opt.steps_taken(), STEPS as u64);
    assert_matches(case, &model, tol);
}

fn every_optimizer<E: Float>(tol: f64) {
    let sgd = |c: SgdConfig| move |m: &mut Mlp<E>| Sgd::new(m, c).unwrap();
    check::<E, _>(
        "sgd",
        sgd(SgdConfig {
            lr: 0.1,
            ..Default::default()
        }),
        tol,
    );
    check::<E, _>(
        "sgd_momentum",
        sgd(SgdConfig {
            lr: 0.05,
            momentum: 0.9,
            dampening: 0.1,
            weight_decay: 1e-2,
            ..Default::default()
        }),
        tol,
    );
    check::<E, _>(
        "sgd_nesterov",
        sgd(SgdConfig {
            lr: 0.05,
            momentum: 0.9,
            nesterov: true,
            weight_decay: 1e-3,
            ..Default::default()
        }),
        tol,
    );
    let adam = |c: AdamConfig| move |m: &mut Mlp<E>| Adam::new(m, c).unwrap();
    check::<E, _>(
        "adam",
        adam(AdamConfig {
            lr: 1e-2,
            ..Default::default()
        }),
        tol,
    );
    check::<E, _>(
        "adam_amsgrad_l2",
        adam(AdamConfig {
            lr: 1e-2,
            betas: (0.8, 0.99),
            weight_decay: 0.1,
            amsgrad: true,
            ..Default::default()
        }),
        tol,
    );
    check::<E, _>(
        "adamw",
        adam(AdamConfig {
            lr: 1e-2,
            ..AdamConfig::adamw()
        }),
        tol,
    );
    check::<E, _>(
        "adamw_amsgrad",
        adam(AdamConfig {
            lr: 2e-2,
            weight_decay: 0.05,
            amsgrad: true,
            ..AdamConfig::adamw()
        }),
        tol,
    );
    let rms = |c: RmsPropConfig| move |m: &mut Mlp<E>| RmsProp::new(m, c).unwrap();
    check::<E, _>("rmsprop", rms(RmsPropConfig::default()), tol);
    check::<E, _>(
        "rmsprop_centered_momentum",
        rms(RmsPropConfig {
            alpha: 0.9,
            momentum: 0.5,
            centered: true,
            weight_decay: 1e-2,
            ..Default::default()
        }),
        tol,
    );
    let adagrad = |c: AdagradConfig| move |m: &mut Mlp<E>| Adagrad::new(m, c).unwrap();
    check::<E, _>(
        "adagrad",
        adagrad(AdagradConfig {
            lr: 0.1,
            ..Default::default()
        }),
        tol,
    );
    check::<E, _>(
        "adagrad_decay",
        adagrad(AdagradConfig {
            lr: 0.1,
            lr_decay: 0.01,
            weight_decay: 0.1,
            initial_accumulator_value: 0.1,
            ..Default::default()
        }),
        tol,
    );
    check::<E, _>(
        "groups",
        |m: &mut Mlp<E>| {
            let head = ParamGroup::prefix("2").lr(0.1).weight_decay(0.0);
            let config = AdamConfig {
                lr: 1e-2,
                weight_decay: 0.1,
                ..AdamConfig::adamw()
            };
            Adam::with_groups(m, config, vec![head]).unwrap()
        },
        tol,
    );
    let frozen_first = |m: &mut Mlp<E>| {
        let config = SgdConfig {
            lr: 0.1,
            momentum: 0.9,
            ..Default::default()
        };
        Sgd::with_groups(m, config, vec![ParamGroup::prefix("0").frozen()]).unwrap()
    };
    let mut model = mlp::<E>();
    let before = model.head.weight.to_vec();
    let mut opt = frozen_first(&mut model);
    train(&mut model, &mut opt, None);
    assert_eq!(model.head.weight.to_vec(), before, "a frozen layer moved");
    assert_eq!(
        opt.flat().names().collect::<Vec<_>>(),
        ["2.weight", "2.bias"]
    );
    let prefix = format!("optim{}.frozen", tag::<E>());
    model.for_each_param(|name, t| {
        let expected = reference(&format!("{prefix}.{name}")).to_kind(tch::Kind::Double);
        let diff = (t.to_kind(tch::Kind::Double) - expected)
            .abs()
            .max()
            .double_value(&[]);
        assert!(diff <= tol, "{prefix}.{name}: {diff:e}");
    });

    let mut model = mlp::<E>();
    let mut opt = Sgd::new(
        &mut model,
        SgdConfig {
            lr: 0.1,
            ..Default::default()
        },
    )
    .unwrap();
    train(&mut model, &mut opt, Some(0.3));
    assert_matches("clipped", &model, tol);

    // OneCycleLR cycling SGD's momentum and Adam's beta1 along with the rate.
    let one_cycle = || OneCycleLR {
        pct_start: 0.5,
        ..OneCycleLR::new(0.05, STEPS)
    };
    let mut model = mlp::<E>();
    let config = SgdConfig {
        lr: 0.1,
        momentum: 0.9,
        nesterov: true,
        ..Default::default()
    };
    let mut opt = Sgd::new(&mut model, config).unwrap();
    let mut scheduler = LrScheduler::new(&mut opt, one_cycle()).unwrap();
    assert_eq!(opt.momentum(0), Some(0.95), "step 0 starts at max_momentum");
    train_scheduled(&mut model, &mut opt, None, Some(&mut scheduler));
    assert_matches("onecycle_sgd", &model, tol);

    let mut model = mlp::<E>();
    let mut opt = Adam::new(&mut model, AdamConfig::default()).unwrap();
    let mut scheduler = LrScheduler::new(&mut opt, one_cycle()).unwrap();
    train_scheduled(&mut model, &mut opt, None, Some(&mut scheduler));
    assert_matches("onecycle_adam", &model, tol);
}

#[test]
fn every_optimizer_matches_torch_optim_in_f64() {
    every_optimizer::<f64>(1e-10);
}

#[test]
fn every_optimizer_matches_torch_optim_in_f32() {
    every_optimizer::<f32>(1e-5);
}

/// The tensor-op path (what CUDA and f16/bf16 parameters take) against the same trajectories.
#[test]
fn tensor_op_path_matches_torch_optim() {
    typed_torch::optim::set_fused_kernels(false);
    every_optimizer::<f64>(1e-10);
    every_optimizer::<f32>(1e-5);
}
