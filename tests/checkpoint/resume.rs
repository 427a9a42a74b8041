//! Training resumes exactly: N steps, save (model, optimizer, scheduler, RNG), load into fresh
//! objects, M more steps gives the weights of N + M steps straight through; for every optimizer,
//! with a schedule, batch norm and dropout. And optimizer state that does not fit is refused.
use crate::common::lock_generator;
use typed_torch::checkpoint::{CheckpointError, Loader, Problem, RngState, Saver};
use typed_torch::nn::{BatchNorm1d, Dropout, Linear, Module, Params, ReLU};
use typed_torch::optim::{
    Adagrad, AdagradConfig, Adam, AdamConfig, LrScheduler, OneCycleLR, Optimizer, OptimizerState,
    ParamGroup, RmsProp, RmsPropConfig, Schedule, Sgd, SgdConfig, StepLR,
};
use typed_torch::prelude::*;
use typed_torch::{hlist, HList, Tensor, D};

type Net = HList![Linear<4, 8>, BatchNorm1d<8>, ReLU, Dropout, Linear<8, 2>];
type Batch = (Tensor<(D<16>, D<4>)>, Tensor<(D<16>, D<2>)>);
type AnySchedule = Box<dyn Schedule + Send + Sync>;

fn net() -> Net {
    hlist![
        Linear::init().unwrap(),
        BatchNorm1d::init().unwrap(),
        ReLU,
        Dropout::default().p(0.3),
        Linear::init().unwrap()
    ]
}

fn batches(n: usize) -> Vec<Batch> {
    tch::manual_seed(42);
    (0..n).map(|_| (Tensor::randn(), Tensor::randn())).collect()
}

fn values(model: &impl Params) -> Vec<Vec<f64>> {
    let mut out = Vec::new();
    model.for_each_tensor(|_, t| {
        out.push(Vec::<f64>::try_from(t.to_kind(tch::Kind::Double).flatten(0, -1)).unwrap())
    });
    out
}

/// One training step: reseed (dropout masks), forward, backward, update, schedule.
fn step<O: Optimizer<Net>>(
    model: &mut Net,
    opt: &mut O,
    sched: &mut LrScheduler<AnySchedule>,
    rng: &mut RngState,
    (x, y): &Batch,
) {
    rng.reseed_torch();
    opt.zero_grad();
    (model.forward(x.clone()) - y)
        .square()
        .mean_all()
        .backward();
    opt.step(model).unwrap();
    sched.step(opt).unwrap();
}

/// [`resume_gap_with`] a step-decay schedule.
fn resume_gap<O: Optimizer<Net> + OptimizerState>(
    name: &str,
    make: impl Fn(&mut Net) -> O,
    n: usize,
    m: usize,
) -> f64 {
    let step_lr = || -> AnySchedule {
        Box::new(StepLR {
            step_size: 3,
            gamma: 0.5,
        })
    };
    resume_gap_with(name, make, step_lr, n, m)
}

/// Trains `n + m` steps straight, and `n` steps + checkpoint + fresh objects + `m` steps;
/// returns the largest difference of any weight, buffer or optimizer state.
fn resume_gap_with<O: Optimizer<Net> + OptimizerState>(
    name: &str,
    make: impl Fn(&mut Net) -> O,
    schedule: impl Fn() -> AnySchedule,
    n: usize,
    m: usize,
) -> f64 {
    let data = batches(n + m);
    let fresh = |seed: i64| {
        tch::manual_seed(seed);
        let mut model = net();
        let mut opt = make(&mut model);
        let sched = LrScheduler::new(&mut opt, schedule()).unwrap();
        (model, opt, sched)
    };

    let (mut straight, mut opt, mut sched) = fresh(1);
    let mut rng = RngState::new(7);
    for b in &data {
        step(&mut straight, &mut opt, &mut sched, &mut rng, b);
    }

    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("resume-{name}-{}.safetensors", std::process::id()));
    {
        let (mut model, mut opt, mut sched) = fresh(1);
        let mut rng = RngState::new(7);
        for b in &data[..n] {
            step(&mut model, &mut opt, &mut sched, &mut rng, b);
        }
        Saver::new(&model)
            .optimizer(&opt)
            .scheduler(&sched)
            .rng(rng)
            .save(&path)
            .unwrap();
    }
    // Different initial weights, to see that everything comes from the file.
    let (mut resumed, mut opt2, mut sched2) = fresh(99);
    let report = Loader::new(&mut resumed)
        .optimizer(&mut opt2)
        .scheduler(&mut sched2)
        .load(&path)
        .unwrap();
    let mut rng2 = report.rng.unwrap();
    assert_eq!(
        rng2,
        RngState {
            seed: 7,
            step: n as u64
        }
    );
    assert_eq!(opt2.steps_taken(), n as u64);
    assert_eq!(sched2.steps(), n);
    for b in &data[n..] {
        step(&mut resumed, &mut opt2, &mut sched2, &mut rng2, b);
    }
    std::fs::remove_file(&path).unwrap();

    assert_eq!(opt2.steps_taken(), opt.steps_taken());
    assert_eq!(sched2.last_lrs(), sched.last_lrs());
    for group in 0..opt.group_count() {
        assert_eq!(
            opt2.momentum(group),
            opt.momentum(group),
            "{name}: momentum"
        );
    }
    let mut gap = 0f64;
    let mut compare = |a: Vec<Vec<f64>>, b: Vec<Vec<f64>>| {
        assert_eq!(a.len(), b.len());
        for (a, b) in a.iter().zip(&b) {
            for (x, y) in a.iter().zip(b) {
                gap = gap.max((x - y).abs());
            }
        }
    };
    compare(values(&straight), values(&resumed));
    let state = |o: &O| {
        o.state_buffers()
            .into_iter()
            .map(|(_, t)| Vec::<f64>::try_from(t.to_kind(tch::Kind::Double)).unwrap())
            .collect::<Vec<_>>()
    };
    compare(state(&opt), state(&opt2));
    println!("{name}: {n} + {m} steps, max |straight - resumed| = {gap:e}");
    gap
}

#[test]
fn every_optimizer_resumes_exactly() {
    // The straight and the resumed runs must draw the same numbers: the generator is this test's.
    let _rng = lock_generator();
    let sgd = SgdConfig {
        lr: 0.05,
        momentum: 0.9,
        nesterov: true,
        weight_decay: 1e-3,
        ..Default::default()
    };
    let adam = AdamConfig {
        lr: 1e-2,
        amsgrad: true,
        ..AdamConfig::adamw()
    };
    let rms = RmsPropConfig {
        momentum: 0.5,
        centered: true,
        ..Default::default()
    };
    let adagrad = AdagradConfig {
        lr_decay: 0.01,
        initial_accumulator_value: 0.1,
        ..Default::default()
    };
    let gaps = [
        resume_gap("sgd", |m| Sgd::new(m, sgd).unwrap(), 5, 4),
        resume_gap(
            "sgd-mom",
            |m| {
                Sgd::new(
                    m,
                    SgdConfig {
                        lr: 0.05,
                        momentum: 0.9,
                        ..Default::default()
                    },
                )
                .unwrap()
            },
            5,
            4,
        ),
        resume_gap(
            "sgd-mom11",
            |m| {
                Sgd::new(
                    m,
                    SgdConfig {
                        lr: 0.05,
                        momentum: 0.9,
                        ..Default::default()
                    },
                )
                .unwrap()
            },
            1,
            1,
        ),
        resume_gap(
            "sgd-plain",
            |m| {
                Sgd::new(
                    m,
                    SgdConfig {
                        lr: 0.1,
                        ..Default::default()
                    },
                )
                .unwrap()
            },
            1,
            3,
        ),
        resume_gap("adam", |m| Adam::new(m, adam).unwrap(), 4, 5),
        resume_gap("rmsprop", |m| RmsProp::new(m, rms).unwrap(), 5, 4),
        resume_gap("adagrad", |m| Adagrad::new(m, adagrad).unwrap(), 3, 6),
        // OneCycleLR moves the momentum too; a resumed run must carry it over.
        resume_gap_with(
            "sgd-onecycle",
            |m| Sgd::new(m, sgd).unwrap(),
            || Box::new(OneCycleLR::new(0.1, 9)),
            5,
            4,
        ),
        resume_gap_with(
            "adam-onecycle",
            |m| Adam::new(m, adam).unwrap(),
            || Box::new(OneCycleLR::new(0.01, 9)),
            4,
            5,
        ),
        resume_gap(
            "adam-groups",
            |m| {
                let groups = vec![ParamGroup::prefix("4").lr(3e-3).weight_decay(0.0)];
                Adam::with_groups(m, AdamConfig::default(), groups).unwrap()
            },
            4,
            4,
        ),
    ];
    // The same ops on the same values: bit for bit in practice; the issue asks <= 1e-6.
    for gap in gaps {
        assert!(gap <= 1e-6, "{gaps:?}");
    }
    assert_eq!(gaps, [0.0; 10], "not bit-exact");
}

#[test]
fn optimizer_state_that_does_not_fit_is_refused_and_nothing_changes() {
    let _rng = lock_generator();
    tch::manual_seed(0);
    let data = batches(2);
    let mut model = net();
    let mut adam = Adam::new(&mut model, AdamConfig::default()).unwrap();
    let mut sched = LrScheduler::new(&mut adam, Box::new(StepLR::new(2)) as AnySchedule).unwrap();
    let mut rng = RngState::new(1);
    for b in &data {
        step(&mut model, &mut adam, &mut sched, &mut rng, b);
    }
    let bytes = Saver::new(&model)
        .optimizer(&adam)
        .scheduler(&sched)
        .to_bytes()
        .unwrap();

    let refuse = |model: &mut Net, opt: &mut dyn OptimizerState| -> Vec<Problem> {
        let before = (values(model), opt.step_count(), opt.lr(0));
        let err = Loader::new(model)
            .optimizer(opt)
            .load_bytes(&bytes)
            .unwrap_err();
        assert_eq!((values(model), opt.step_count(), opt.lr(0)), before);
        match err {
            CheckpointError::Problems { problems, .. } => problems,
            e => panic!("{e}"),
        }
    };

    // Other hyper-parameters.
    let mut m2 = net();
    let mut other = Adam::new(
        &mut m2,
        AdamConfig {
            betas: (0.8, 0.99),
            ..Default::default()
        },
    )
    .unwrap();
    let problems = refuse(&mut m2, &mut other);
    assert!(
        matches!(&problems[..], [Problem::State { what, expected, found }]
            if what == "optimizer hyper-parameters" && expected.contains("0.8") && found.contains("0.9")),
        "{problems:?}"
    );
    // Another optimizer: its name and its buffers differ.
    let mut m3 = net();
    let mut sgd = Sgd::new(
        &mut m3,
        SgdConfig {
            momentum: 0.9,
            ..Default::default()
        },
    )
    .unwrap();
    let problems = refuse(&mut m3, &mut sgd);
    assert!(
        problems
            .iter()
            .any(|p| matches!(p, Problem::State { what, expected, found }
        if what == "optimizer" && expected == "SGD" && found == "Adam")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| matches!(p, Problem::Missing { name, .. }
        if name == "@optimizer/momentum_buffer/0.weight")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| matches!(p, Problem::Unexpected { name, .. }
        if name == "@optimizer/exp_avg/0.weight")),
        "{problems:?}"
    );
    // Other groups.
    let mut m4 = net();
    let mut grouped = Adam::with_groups(
        &mut m4,
        AdamConfig::default(),
        vec![ParamGroup::prefix("0").lr(1.0)],
    )
    .unwrap();
    let problems = refuse(&mut m4, &mut grouped);
    assert!(
        problems
            .iter()
            .any(|p| matches!(p, Problem::State { what, .. }
        if what == "optimizer parameter groups")),
        "{problems:?}"
    );
    // A file with no optimizer state.
    let plain = Saver::new(&model).to_bytes().unwrap();
    let mut m5 = net();
    let mut adam5 = Adam::new(&mut m5, AdamConfig::default()).unwrap();
    let err = Loader::new(&mut m5)
        .optimizer(&mut adam5)
        .load_bytes(&plain)
        .unwrap_err();
    assert!(
        err.to_string().contains("optimizer: expected Adam state"),
        "{err}"
    );

    // A scheduler whose groups differ, and loading the model alone ignores the training state.
    let mut m6 = net();
    let mut adam6 = Adam::with_groups(
        &mut m6,
        AdamConfig::default(),
        vec![ParamGroup::prefix("0")],
    )
    .unwrap();
    let mut sched6 = LrScheduler::new(&mut adam6, StepLR::new(2)).unwrap();
    let err = Loader::new(&mut m6)
        .scheduler(&mut sched6)
        .load_bytes(&bytes)
        .unwrap_err();
    assert!(
        err.to_string().contains("scheduler: expected a position"),
        "{err}"
    );
    assert_eq!(sched6.steps(), 0);
    let mut m7 = net();
    let report = Loader::new(&mut m7).load_bytes(&bytes).unwrap();
    assert_eq!(report.loaded.len(), 9);
    assert_eq!(values(&m7), values(&model));
}
