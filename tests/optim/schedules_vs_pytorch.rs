//! Learning-rate schedules against `torch.optim.lr_scheduler` (the rate of two parameter groups
//! with different base rates at every step), and gradient clipping against
//! `torch.nn.utils.clip_grad_norm_` / `clip_grad_value_`. References: tests/reference/schedules.py.

use crate::common::reference;
use typed_torch::nn::Params;
use typed_torch::optim::{
    clip_grad_norm, clip_grad_value, Anneal, CosineAnnealingLR, ExponentialLR, LearningRates,
    LinearLR, LrScheduler, MultiStepLR, OneCycleLR, Schedule, SequentialLR, StepLR,
};
use typed_torch::prelude::*;
use typed_torch::Error;

/// The base rates of the reference optimizer's two groups (schedules.py's `BASE_LRS`).
const BASE_LRS: [f64; 2] = [0.1, 0.025];

/// The momentum of the reference optimizer's groups (SGD with momentum 0.9).
const MOMENTUM: f64 = 0.9;

/// A stand-in optimizer: only its groups' learning rates and momenta.
struct Groups(Vec<f64>, Vec<f64>);

impl Groups {
    fn new(lrs: Vec<f64>) -> Self {
        let momenta = vec![MOMENTUM; lrs.len()];
        Groups(lrs, momenta)
    }
}

impl LearningRates for Groups {
    fn group_count(&self) -> usize {
        self.0.len()
    }
    fn lr(&self, group: usize) -> f64 {
        self.0[group]
    }
    fn set_lr(&mut self, group: usize, lr: f64) {
        self.0[group] = lr;
    }
    fn momentum(&self, group: usize) -> Option<f64> {
        Some(self.1[group])
    }
    fn set_momentum(&mut self, group: usize, momentum: f64) {
        self.1[group] = momentum;
    }
}

fn to_vec(t: &tch::Tensor) -> Vec<f64> {
    Vec::<f64>::try_from(t.reshape([-1])).expect("f64 reference")
}

/// Drives `schedule` through as many steps as PyTorch's sequence `sched.<name>.out` has and returns
/// the largest relative difference of any group's rate or momentum at any step (infinite where
/// PyTorch's value is 0 and ours is not).
fn max_rel_diff<S: Schedule>(name: &str, schedule: S) -> f64 {
    let expected = reference(&format!("sched.{name}.out"));
    let rows = expected.size()[0] as usize;
    assert_eq!(
        expected.size()[1],
        4,
        "{name}: two groups' rates and momenta"
    );
    assert!(rows > 100, "{name}: only {} steps", rows - 1);
    let expected = to_vec(&expected);
    let mut opt = Groups::new(BASE_LRS.to_vec());
    let mut sched = LrScheduler::new(&mut opt, schedule).unwrap();
    assert_eq!(sched.base_lrs(), BASE_LRS);
    let mut worst = 0.0f64;
    for t in 0..rows {
        if t > 0 {
            sched.step(&mut opt).unwrap();
        }
        assert_eq!(sched.steps(), t);
        assert_eq!(sched.last_lrs(), opt.0, "{name}: last_lrs is what was set");
        for (i, ours) in opt.0.iter().chain(&opt.1).enumerate() {
            let (ours, theirs) = (*ours, expected[4 * t + i]);
            let rel = if ours == theirs {
                0.0
            } else {
                (ours - theirs).abs() / theirs.abs()
            };
            worst = worst.max(if rel.is_nan() { f64::INFINITY } else { rel });
        }
    }
    worst
}

/// [`max_rel_diff`] at most 1e-12.
fn check<S: Schedule>(name: &str, schedule: S) {
    let worst = max_rel_diff(name, schedule);
    println!("sched.{name}: max relative difference {worst:.3e}");
    assert!(
        worst <= 1e-12,
        "sched.{name}: relative difference {worst:e} from PyTorch"
    );
}

#[test]
fn step_lr() {
    check(
        "step",
        StepLR {
            step_size: 7,
            gamma: 0.7,
        },
    );
    check("step_default", StepLR::new(30));
}

#[test]
fn multi_step_lr_unsorted_and_repeated_milestones() {
    check(
        "multistep",
        MultiStepLR {
            milestones: vec![60, 10, 25, 25, 140],
            gamma: 0.3,
        },
    );
}

#[test]
fn exponential_lr() {
    check("exponential", ExponentialLR::new(0.97));
}

#[test]
fn cosine_annealing_lr_through_minima_and_restarts() {
    check("cosine", CosineAnnealingLR::new(40));
    check(
        "cosine_eta",
        CosineAnnealingLR {
            t_max: 33,
            eta_min: 0.004,
        },
    );
    check(
        "cosine_long",
        CosineAnnealingLR {
            t_max: 700,
            eta_min: 1e-5,
        },
    );
}

/// `S`'s rates times `1 + error`.
struct Perturbed<S>(S, f64);

impl<S: Schedule> Schedule for Perturbed<S> {
    fn lr(&self, group: usize, base_lr: f64, step: usize) -> f64 {
        self.0.lr(group, base_lr, step) * (1.0 + self.1)
    }
}

#[test]
fn the_comparison_catches_small_differences() {
    // The comparison is strict enough to fail: a relative error of 1e-11 in every rate, or a
    // schedule off by one step, does not pass.
    let cosine = CosineAnnealingLR {
        t_max: 700,
        eta_min: 1e-5,
    };
    let off = max_rel_diff("cosine_long", Perturbed(cosine, 1e-11));
    assert!(off > 1e-12, "{off:e}");
    let shifted = max_rel_diff("step", StepLR::new(6));
    assert!(shifted > 0.1, "{shifted:e}");
    // Each group's own base rate is checked: the first group's base rate for both fails.
    let one_rate = max_rel_diff("exponential", FirstGroupBase(ExponentialLR::new(0.97)));
    assert!(one_rate > 0.1, "{one_rate:e}");
}

/// `S` with the first group's base rate for every group.
struct FirstGroupBase<S>(S);

impl<S: Schedule> Schedule for FirstGroupBase<S> {
    fn lr(&self, group: usize, _base_lr: f64, step: usize) -> f64 {
        self.0.lr(group, BASE_LRS[0], step)
    }
}

#[test]
fn linear_lr() {
    check("linear", LinearLR::default());
    check(
        "linear_decay",
        LinearLR {
            start_factor: 1.0,
            end_factor: 0.05,
            total_iters: 100,
        },
    );
}

#[test]
fn one_cycle_lr() {
    check(
        "onecycle",
        OneCycleLR {
            max_lr: vec![0.5, 0.05],
            ..OneCycleLR::new(0.0, 150)
        },
    );
    check(
        "onecycle_linear3",
        OneCycleLR {
            pct_start: 0.25,
            anneal_strategy: Anneal::Linear,
            div_factor: 10.0,
            final_div_factor: 100.0,
            three_phase: true,
            base_momentum: 0.8,
            max_momentum: 0.9,
            ..OneCycleLR::new(0.3, 140)
        },
    );
    check(
        "onecycle_cos3",
        OneCycleLR {
            max_lr: vec![0.2, 0.7],
            pct_start: 0.4,
            three_phase: true,
            cycle_momentum: false,
            ..OneCycleLR::new(0.0, 101)
        },
    );
    check(
        "onecycle_pct0",
        OneCycleLR {
            pct_start: 0.0,
            ..OneCycleLR::new(0.2, 120)
        },
    );
}

#[test]
fn sequential_lr_warmup_then_another_schedule() {
    check(
        "warmup_cosine",
        SequentialLR::warmup(LinearLR::warmup(0.01, 10), CosineAnnealingLR::new(140)),
    );
    let three = SequentialLR::new(
        vec![
            Box::new(LinearLR::warmup(0.1, 8)),
            Box::new(StepLR {
                step_size: 20,
                gamma: 0.6,
            }),
            Box::new(ExponentialLR::new(0.98)),
        ],
        vec![5, 60],
    )
    .unwrap();
    check("sequential3", three);
    check(
        "warmup_multistep",
        SequentialLR::warmup(
            LinearLR::warmup(0.25, 12),
            MultiStepLR {
                milestones: vec![30, 80],
                gamma: 0.5,
            },
        ),
    );
}

#[test]
fn one_cycle_ends_at_total_steps() {
    let mut opt = Groups::new(BASE_LRS.to_vec());
    let mut sched = LrScheduler::new(&mut opt, OneCycleLR::new(0.5, 10)).unwrap();
    for _ in 0..10 {
        sched.step(&mut opt).unwrap();
    }
    let last = opt.0.clone();
    // PyTorch raises "Tried to step 11 times"; here the step fails and changes nothing.
    assert!(matches!(sched.step(&mut opt), Err(Error::Invalid(_))));
    assert_eq!(opt.0, last);
    assert_eq!(sched.steps(), 10);
    assert!(sched.lrs_at(11).is_err());
    assert_eq!(sched.lrs_at(10).unwrap(), last);

    // With pct_start 1 the last phase has no length: PyTorch divides by zero at step total_steps.
    let mut sched = LrScheduler::new(
        &mut opt,
        OneCycleLR {
            pct_start: 1.0,
            ..OneCycleLR::new(0.5, 10)
        },
    )
    .unwrap();
    for _ in 0..9 {
        sched.step(&mut opt).unwrap();
    }
    assert!(
        (opt.lr(0) - 0.5).abs() < 1e-15,
        "at the peak: {}",
        opt.lr(0)
    );
    assert!(sched.step(&mut opt).is_err());
    assert!(opt.0.iter().all(|lr| lr.is_finite()));
}

#[test]
fn scheduler_sets_step_zero_rates_and_respects_group_base_rates() {
    let mut opt = Groups::new(vec![0.3, 0.03, 3.0]);
    let sched = LrScheduler::new(&mut opt, LinearLR::warmup(0.5, 4)).unwrap();
    assert_eq!(sched.base_lrs(), [0.3, 0.03, 3.0]);
    assert_eq!(opt.0, [0.15, 0.015, 1.5]);
    // A boxed schedule chosen at run time works too.
    let boxed: Box<dyn Schedule> = Box::new(ExponentialLR::new(0.5));
    let mut opt = Groups::new(vec![1.0, 2.0]);
    let mut sched = LrScheduler::new(&mut opt, boxed).unwrap();
    sched.step(&mut opt).unwrap();
    assert_eq!(opt.0, [0.5, 1.0]);
}

#[test]
fn invalid_settings_are_errors() {
    let invalid: Vec<(&str, Box<dyn Schedule>)> = vec![
        ("step_size 0", Box::new(StepLR::new(0))),
        (
            "gamma NaN",
            Box::new(StepLR {
                step_size: 1,
                gamma: f64::NAN,
            }),
        ),
        (
            "exponential inf",
            Box::new(ExponentialLR::new(f64::INFINITY)),
        ),
        ("t_max 0", Box::new(CosineAnnealingLR::new(0))),
        ("start_factor 0", Box::new(LinearLR::warmup(0.0, 5))),
        ("start_factor > 1", Box::new(LinearLR::warmup(1.5, 5))),
        (
            "end_factor > 1",
            Box::new(LinearLR {
                end_factor: 1.1,
                ..LinearLR::default()
            }),
        ),
        ("total_iters 0", Box::new(LinearLR::warmup(0.1, 0))),
        ("total_steps 0", Box::new(OneCycleLR::new(0.1, 0))),
        (
            "pct_start < 0",
            Box::new(OneCycleLR {
                pct_start: -0.1,
                ..OneCycleLR::new(0.1, 100)
            }),
        ),
        (
            "pct_start > 1",
            Box::new(OneCycleLR {
                pct_start: 1.1,
                ..OneCycleLR::new(0.1, 100)
            }),
        ),
        (
            "pct_start NaN",
            Box::new(OneCycleLR {
                pct_start: f64::NAN,
                ..OneCycleLR::new(0.1, 100)
            }),
        ),
        (
            // PyTorch: ZeroDivisionError when created.
            "first phase of length 0",
            Box::new(OneCycleLR {
                pct_start: 0.1,
                ..OneCycleLR::new(0.1, 10)
            }),
        ),
        (
            "three max_lr for two groups",
            Box::new(OneCycleLR {
                max_lr: vec![0.1, 0.2, 0.3],
                ..OneCycleLR::new(0.1, 100)
            }),
        ),
        (
            "div_factor 0",
            Box::new(OneCycleLR {
                div_factor: 0.0,
                ..OneCycleLR::new(0.1, 100)
            }),
        ),
        (
            "invalid part of a sequence",
            Box::new(SequentialLR::warmup(
                LinearLR::warmup(0.1, 5),
                CosineAnnealingLR::new(0),
            )),
        ),
    ];
    for (what, schedule) in invalid {
        let mut opt = Groups::new(BASE_LRS.to_vec());
        match LrScheduler::new(&mut opt, schedule) {
            Err(Error::Invalid(message)) => println!("{what}: {message}"),
            Err(e) => panic!("{what}: wrong error {e}"),
            Ok(_) => panic!("{what}: accepted"),
        }
        assert_eq!(opt.0, BASE_LRS, "{what}: a failed creation changes nothing");
    }

    let part = || -> Box<dyn Schedule + Send + Sync> { Box::new(StepLR::new(3)) };
    assert!(matches!(
        SequentialLR::new(vec![], vec![]),
        Err(Error::Invalid(_))
    ));
    assert!(matches!(
        SequentialLR::new(vec![part(), part()], vec![]),
        Err(Error::Invalid(_))
    ));
    assert!(matches!(
        SequentialLR::new(vec![part(), part(), part()], vec![9, 4]),
        Err(Error::Invalid(_))
    ));
    assert!(SequentialLR::new(vec![part(), part(), part()], vec![4, 4]).is_ok());

    // A scheduler made for two groups refuses an optimizer with three.
    let mut opt = Groups::new(BASE_LRS.to_vec());
    let mut sched = LrScheduler::new(&mut opt, StepLR::new(2)).unwrap();
    let mut other = Groups::new(vec![1.0; 3]);
    assert!(matches!(sched.step(&mut other), Err(Error::Invalid(_))));
    assert_eq!(other.0, [1.0; 3]);
    assert_eq!(sched.steps(), 0);
}

// ---- gradient clipping ----------------------------------------------------------------------

/// Parameters `w`, `b`, `s` (a 0-d tensor) whose gradients are PyTorch's reference gradients, and
/// `frozen`, which never gets a gradient.
#[derive(Module)]
struct Tiny<E: Float> {
    w: Tensor<(Dyn, Dyn), E>,
    b: Tensor<(Dyn,), E>,
    s: Tensor<(), E>,
    frozen: Tensor<(D<2>, D<2>), E>,
}

/// A `Tiny` whose gradients are exactly `<case>.in0..2`: the gradient of `sum(p * g)` is `g`.
fn tiny_with_grads<E: Float>(case: &str) -> Tiny<E> {
    let g: Vec<tch::Tensor> = (0..3)
        .map(|i| reference(&format!("{case}.in{i}")))
        .collect();
    let param = |g: &tch::Tensor| g.zeros_like().set_requires_grad(true);
    let model = Tiny::<E> {
        w: Tensor::from_tch(param(&g[0])).unwrap(),
        b: Tensor::from_tch(param(&g[1])).unwrap(),
        s: Tensor::from_tch(param(&g[2])).unwrap(),
        frozen: Tensor::from_tch(
            tch::Tensor::ones([2, 2], (g[0].kind(), tch::Device::Cpu)).set_requires_grad(true),
        )
        .unwrap(),
    };
    let (w, b, s) = (model.w.as_tch(), model.b.as_tch(), model.s.as_tch());
    let loss = (w * &g[0]).sum(None) + (b * &g[1]).sum(None) + s * &g[2];
    loss.backward();
    for (p, g) in [w, b, s].into_iter().zip(&g) {
        assert!(p.grad().equal(g), "{case}: the gradient is the reference's");
    }
    assert!(!model.frozen.as_tch().grad().defined());
    model
}

fn grads<E: Float>(model: &Tiny<E>) -> [tch::Tensor; 3] {
    [
        model.w.as_tch().grad(),
        model.b.as_tch().grad(),
        model.s.as_tch().grad(),
    ]
}

/// Largest |ours - PyTorch's| / max|PyTorch's| over the three gradients after clipping.
fn grad_diff<E: Float>(case: &str, model: &Tiny<E>) -> f64 {
    let mut worst = 0.0f64;
    for (i, g) in grads(model).iter().enumerate() {
        let expected = reference(&format!("{case}.grad{i}"));
        assert_eq!(g.kind(), expected.kind(), "{case}: gradient {i} kind");
        let (a, b) = (
            to_vec(&g.to_kind(tch::Kind::Double)),
            to_vec(&expected.to_kind(tch::Kind::Double)),
        );
        let scale = b.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        for (a, b) in a.iter().zip(&b) {
            worst = worst.max((a - b).abs() / scale);
        }
    }
    worst
}

/// Clips `case`'s gradients with `clip` and compares the gradients and the returned norm with
/// PyTorch's; the gradients must stay the same tensors (same storage), written in place.
fn check_clip<E: Float>(case: &str, tol: f64, clip: impl FnOnce(&mut Tiny<E>) -> Option<f64>) {
    let mut model = tiny_with_grads(case);
    let before: Vec<_> = grads(&model)
        .iter()
        .map(|g| g.data_ptr() as usize)
        .collect();
    let total = clip(&mut model);
    let after: Vec<_> = grads(&model)
        .iter()
        .map(|g| g.data_ptr() as usize)
        .collect();
    assert_eq!(
        before, after,
        "{case}: gradients were replaced, not written in place"
    );
    assert!(model.frozen.grad().is_none(), "{case}: no gradient appears");
    let diff = grad_diff(case, &model);
    let mut line = format!("{case}: gradients max rel diff {diff:.3e}");
    assert!(
        diff <= tol,
        "{case}: gradients differ from PyTorch's by {diff:e}"
    );
    if let Some(total) = total {
        let expected = reference(&format!("{case}.out")).double_value(&[]);
        let rel = (total - expected).abs() / expected;
        line += &format!(", total norm {total} rel diff {rel:.3e}");
        assert!(
            rel <= tol,
            "{case}: total norm {total} vs PyTorch's {expected}"
        );
    }
    println!("{line}");
}

#[test]
fn clip_grad_norm_matches_pytorch() {
    for (tag, norm_type) in [("2", 2.0), ("1", 1.0), ("inf", f64::INFINITY)] {
        for (suffix, max_norm) in [("", 0.5), ("_noclip", 1e3)] {
            let case = format!("clip.norm{tag}{suffix}");
            check_clip::<f64>(&case, 1e-14, |m| {
                Some(clip_grad_norm(m, max_norm, norm_type))
            });
            // The reference really clips (or really leaves alone): otherwise this proves little.
            let changed = (0..3).any(|i| {
                !reference(&format!("{case}.in{i}")).equal(&reference(&format!("{case}.grad{i}")))
            });
            assert_eq!(changed, suffix.is_empty(), "{case}");
        }
    }
}

#[test]
fn clip_grad_norm_matches_pytorch_in_f32() {
    // PyTorch computes the norms and the factor in the gradients' dtype; so does clip_grad_norm.
    check_clip::<f32>("clip.norm2_f32", 1e-6, |m| {
        Some(clip_grad_norm(m, 0.7, 2.0))
    });
    check_clip::<f32>("clip.norminf_f32", 1e-6, |m| {
        Some(clip_grad_norm(m, 0.7, f64::INFINITY))
    });
}

#[test]
fn clip_grad_value_matches_pytorch() {
    check_clip::<f64>("clip.value", 0.0, |m| {
        clip_grad_value(m, 0.4);
        None
    });
    check_clip::<f32>("clip.value_f32", 0.0, |m| {
        clip_grad_value(m, 0.25);
        None
    });
}

#[test]
fn clipping_without_gradients_does_nothing() {
    let mut model = Tiny::<f64> {
        w: Tensor::ones_dyn(&[2, 3]).unwrap(),
        b: Tensor::ones_dyn(&[3]).unwrap(),
        s: Tensor::ones(),
        frozen: Tensor::ones(),
    };
    // PyTorch returns a norm of 0 when no parameter has a gradient.
    assert_eq!(clip_grad_norm(&mut model, 1.0, 2.0), 0.0);
    clip_grad_value(&mut model, 1.0);
    model.for_each_param(|name, t| assert!(!t.grad().defined(), "{name}"));
}
