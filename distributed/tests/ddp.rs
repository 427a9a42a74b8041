//! DDP training with 2 and 3 ranks equals single-process training on the concatenated batches:
//! 20 steps of SGD (momentum) and Adam, in f64 (within 1e-10) and f32 (within 1e-5), with and
//! without `no_sync` gradient accumulation, and when gradients are kept across steps (no
//! `zero_grad` in between). The averaged gradients live in one buffer laid out like the
//! optimizers' parameters.
mod support;

use std::time::Duration;

use support::{assert_all_ok, run_ranks, scenario};
use typed_torch::checkpoint::{Loader, Saver};
use typed_torch::data::{DataLoader, TensorDataset};
use typed_torch::nn::{BatchNorm1d, Linear, Module, ParamMap, Params, Tanh};
use typed_torch::optim::{Adam, AdamConfig, FlatLayout, Optimizer, Sgd, SgdConfig};
use typed_torch::prelude::*;
use typed_torch::{hlist, loss, Dyn, Float, HList, Tensor, D};
use typed_torch_distributed::{DdpOptions, DistributedDataParallel, InitOptions, ProcessGroup};

const STEPS: usize = 20;
/// Rows of each rank's micro-batch.
const LOCAL: usize = 4;

type Mlp<E> = HList![Linear<6, 16, (), E>, Tanh, Linear<16, 3, (), E>];

fn batch<E: Float>(x: &tch::Tensor, rows: std::ops::Range<usize>) -> Tensor<(Dyn, D<6>), E> {
    let part = x
        .narrow(0, rows.start as i64, rows.len() as i64)
        .to_kind(E::DTYPE);
    Tensor::from_tch(part).unwrap()
}

fn labels(y: &tch::Tensor, rows: std::ops::Range<usize>) -> Tensor<(Dyn,), i64> {
    Tensor::from_tch(y.narrow(0, rows.start as i64, rows.len() as i64)).unwrap()
}

fn loss_of<E: Float>(
    model: &Mlp<E>,
    x: Tensor<(Dyn, D<6>), E>,
    y: &Tensor<(Dyn,), i64>,
) -> Tensor<(), E> {
    loss::cross_entropy(&model.forward(x), y, loss::Mean)
}

/// Trains with DDP and, in the same process, a single-process reference on every rank's rows
/// (`zero_grad` every `zero_every` steps); returns the largest parameter difference and how far
/// training moved the parameters.
fn train<E: Float, O: Optimizer<Mlp<E>>>(
    group: &ProcessGroup,
    accumulate: usize,
    zero_every: usize,
    bucket_cap_mb: f64,
    make: impl Fn(&mut Mlp<E>) -> O,
) -> (f64, f64) {
    let (rank, world) = (group.rank(), group.world_size());
    // Each rank starts from its own random weights: DDP must copy rank 0's.
    tch::manual_seed(100 + rank as i64);
    let model: Mlp<E> = hlist![Linear::init().unwrap(), Tanh, Linear::init().unwrap()];
    let options = DdpOptions {
        bucket_cap_mb,
        ..Default::default()
    };
    let mut ddp = DistributedDataParallel::with_options(group, model, options).unwrap();
    // PyTorch's bucket order: parameters in reverse, as many per bucket as the cap allows.
    let expected_buckets: Vec<Vec<&str>> = if bucket_cap_mb >= 1.0 {
        vec![vec!["2.bias", "2.weight", "0.bias", "0.weight"]]
    } else {
        vec![
            vec!["2.bias"],
            vec!["2.weight"],
            vec!["0.bias"],
            vec!["0.weight"],
        ]
    };
    assert_eq!(ddp.buckets(), expected_buckets);
    let initial = ddp.module().map_params(|_, t| t.detach().copy());
    let mut reference = initial.map_params(|_, t| t.copy().set_requires_grad(true));
    let mut opt = make(ddp.module_mut());
    let mut opt_ref = make(&mut reference);

    // The same data on every rank (one seed); rank r trains on rows r*LOCAL..(r+1)*LOCAL of each
    // global micro-batch, the reference on all of them.
    tch::manual_seed(7);
    let global = world * LOCAL;
    let n = STEPS * accumulate * global;
    let x = tch::Tensor::randn([n as i64, 6], (tch::Kind::Double, tch::Device::Cpu));
    let y = tch::Tensor::randint(3, [n as i64], (tch::Kind::Int64, tch::Device::Cpu));
    let mut grad_addresses: Option<Vec<usize>> = None;
    for step in 0..STEPS {
        if step % zero_every == 0 {
            opt.zero_grad();
            opt_ref.zero_grad();
        }
        for micro in 0..accumulate {
            let start = (step * accumulate + micro) * global;
            let mine = start + rank * LOCAL..start + (rank + 1) * LOCAL;
            let all = start..start + global;
            loss_of(&reference, batch(&x, all.clone()), &labels(&y, all)).backward();
            let run = |ddp: &mut DistributedDataParallel<Mlp<E>>| {
                let out = ddp.forward(batch::<E>(&x, mine.clone())).unwrap();
                let l = loss::cross_entropy(&out, &labels(&y, mine.clone()), loss::Mean);
                ddp.backward(&l).unwrap();
            };
            if micro + 1 < accumulate {
                ddp.no_sync(run);
            } else {
                run(&mut ddp);
            }
        }
        check_gradient_buffer::<E>(ddp.module(), &mut grad_addresses);
        opt.step(ddp.module_mut()).unwrap();
        opt_ref.step(&mut reference).unwrap();
    }
    let mut trained = Vec::new();
    ddp.module()
        .for_each_param(|_, t| trained.push(t.to_kind(tch::Kind::Double)));
    let mut expected = Vec::new();
    reference.for_each_param(|_, t| expected.push(t.to_kind(tch::Kind::Double)));
    let mut start = Vec::new();
    initial.for_each_param(|_, t| start.push(t.to_kind(tch::Kind::Double)));
    let max_diff = |a: &[tch::Tensor], b: &[tch::Tensor]| {
        a.iter()
            .zip(b)
            .map(|(p, q)| (p - q).abs().max().double_value(&[]))
            .fold(0.0, f64::max)
    };
    (max_diff(&trained, &expected), max_diff(&trained, &start))
}

/// The averaged gradients lie in one buffer at the offsets an optimizer gives the parameters
/// ([`FlatLayout`]), and it is the same buffer every step (`first` keeps step 0's addresses).
fn check_gradient_buffer<E: Float>(model: &Mlp<E>, first: &mut Option<Vec<usize>>) {
    let mut addresses = Vec::new();
    model.for_each_param(|_, t| addresses.push(t.grad().data_ptr() as usize));
    let element = E::DTYPE.elt_size_in_bytes();
    for ((name, range), address) in FlatLayout::of(model).ranges().iter().zip(&addresses) {
        assert_eq!(
            address - addresses[0],
            range.start * element,
            "{name}'s gradient is not at its offset in the flat gradient buffer"
        );
    }
    match first {
        None => *first = Some(addresses),
        Some(first) => assert_eq!(*first, addresses, "the gradient buffer moved"),
    }
}

fn check<E: Float>(
    group: &ProcessGroup,
    accumulate: usize,
    zero_every: usize,
    cap: f64,
    optimizer: &str,
    tolerance: f64,
) {
    let (diff, moved) = match optimizer {
        "sgd" => train::<E, _>(group, accumulate, zero_every, cap, |m| {
            Sgd::new(
                m,
                SgdConfig {
                    lr: 0.1,
                    momentum: 0.9,
                    ..Default::default()
                },
            )
            .unwrap()
        }),
        _ => train::<E, _>(group, accumulate, zero_every, cap, |m| {
            Adam::new(
                m,
                AdamConfig {
                    lr: 1e-2,
                    ..Default::default()
                },
            )
            .unwrap()
        }),
    };
    println!(
        "rank {}: {optimizer} {} accumulate {accumulate}, zero_grad every {zero_every}: max |ddp - single| = {diff:e}, moved {moved:.3}",
        group.rank(),
        E::NAME
    );
    assert!(
        diff <= tolerance,
        "{optimizer} {}: DDP differs from one process by {diff:e}",
        E::NAME
    );
    assert!(
        moved > 0.05,
        "training barely moved the parameters ({moved})"
    );
}

#[test]
#[ignore = "a rank: started by the tests below with torchrun's environment"]
fn worker() {
    let options = InitOptions::from_env()
        .unwrap()
        .timeout(Duration::from_secs(30));
    let group = ProcessGroup::init(options).unwrap();
    match scenario().as_str() {
        "equivalence" => {
            for optimizer in ["sgd", "adam"] {
                for accumulate in [1, 3] {
                    check::<f64>(&group, accumulate, 1, 25.0, optimizer, 1e-10);
                    check::<f32>(&group, accumulate, 1, 25.0, optimizer, 1e-5);
                }
            }
            // Tiny buckets: one all-reduce per parameter, the same result.
            check::<f64>(&group, 1, 1, 1e-4, "adam", 1e-10);
            // Gradients kept across two steps: backward adds into the averaged ones.
            check::<f64>(&group, 1, 2, 25.0, "sgd", 1e-10);
            check::<f64>(&group, 2, 2, 1e-4, "adam", 1e-10);
        }
        "mismatch" => {
            // Rank 1 builds a different model: every rank must get an error, not a hang.
            tch::manual_seed(0);
            let result = if group.rank() == 1 {
                let other: HList![Linear<6, 16>, Tanh, Linear<16, 4>] =
                    hlist![Linear::init().unwrap(), Tanh, Linear::init().unwrap()];
                DistributedDataParallel::new(&group, other).map(|_| ())
            } else {
                let model: Mlp<f32> =
                    hlist![Linear::init().unwrap(), Tanh, Linear::init().unwrap()];
                DistributedDataParallel::new(&group, model).map(|_| ())
            };
            let error = result
                .expect_err("different models must be refused")
                .to_string();
            println!("rank {}: {error}", group.rank());
            assert!(error.contains("model differs"), "{error}");
        }
        "resume" => resume(&group),
        "buffers" => buffers(&group),
        other => panic!("unknown scenario {other}"),
    }
}

/// One phase of the stop-and-resume test: `full` trains epochs 0 and 1; `first` trains epoch 0
/// and checkpoints; `second` starts from other weights, loads the checkpoint and trains epoch 1.
fn resume(group: &ProcessGroup) {
    let dir = std::path::PathBuf::from(std::env::var("TT_DIR").unwrap());
    let phase = std::env::var("TT_PHASE").unwrap();
    tch::manual_seed(5);
    let x = Tensor::<(Dyn, D<6>)>::from_tch(tch::Tensor::randn(
        [40, 6],
        (tch::Kind::Float, tch::Device::Cpu),
    ))
    .unwrap();
    let y = Tensor::<(Dyn,), i64>::from_tch(tch::Tensor::randint(
        3,
        [40],
        (tch::Kind::Int64, tch::Device::Cpu),
    ))
    .unwrap();
    let loader = DataLoader::new(TensorDataset::new(x, y).unwrap(), 4)
        .unwrap()
        .sampler(group.sampler().shuffle(true).seed(11));
    // The second phase starts from different weights: only the checkpoint can make it agree.
    tch::manual_seed(if phase == "second" { 99 } else { 1 });
    let model: Mlp<f32> = hlist![Linear::init().unwrap(), Tanh, Linear::init().unwrap()];
    let mut ddp = DistributedDataParallel::new(group, model).unwrap();
    let mut opt = Adam::new(
        ddp.module_mut(),
        AdamConfig {
            lr: 1e-2,
            ..Default::default()
        },
    )
    .unwrap();
    let checkpoint = dir.join("checkpoint.safetensors");
    let epochs = match phase.as_str() {
        "full" => 0..2,
        "first" => 0..1,
        _ => {
            let loader = Loader::new(ddp.module_mut()).optimizer(&mut opt);
            typed_torch_distributed::load(group, loader, &checkpoint).unwrap();
            1..2
        }
    };
    for epoch in epochs {
        for batch in loader.epoch(epoch) {
            let batch = batch.unwrap();
            opt.zero_grad();
            let logits = ddp.forward(batch.inputs).unwrap();
            ddp.backward(&loss::cross_entropy(&logits, &batch.targets, loss::Mean))
                .unwrap();
            opt.step(ddp.module_mut()).unwrap();
        }
    }
    let out = match phase.as_str() {
        "first" => checkpoint,
        other => dir.join(format!("{other}.safetensors")),
    };
    typed_torch_distributed::save(group, &Saver::new(ddp.module()).optimizer(&opt), &out).unwrap();
}

/// BatchNorm's running statistics: rank 0's everywhere at the start and before each forward
/// (PyTorch's `broadcast_buffers=True`), each rank's own batch statistics in between.
fn buffers(group: &ProcessGroup) {
    let rank = group.rank();
    tch::manual_seed(rank as i64);
    let model: HList![Linear<6, 8>, BatchNorm1d<8>] =
        hlist![Linear::init().unwrap(), BatchNorm1d::init().unwrap()];
    let mut ddp = DistributedDataParallel::new(group, model).unwrap();
    let running_mean = |ddp: &DistributedDataParallel<HList![Linear<6, 8>, BatchNorm1d<8>]>| {
        let mut found = None;
        ddp.module().for_each_buffer(|name, t| {
            if name == "1.running_mean" {
                found = Some(Tensor::<(D<8>,)>::from_tch(t.detach().copy()).unwrap());
            }
        });
        found.expect("a running mean")
    };
    let everyone = |t: &Tensor<(D<8>,)>| group.all_gather(t).unwrap().to_vec();
    // Different data on each rank: after a forward, the running means differ.
    tch::manual_seed(50 + rank as i64);
    let x = || {
        Tensor::<(Dyn, D<6>)>::from_tch(
            tch::Tensor::randn([16, 6], (tch::Kind::Float, tch::Device::Cpu)) + rank as f64,
        )
        .unwrap()
    };
    let _ = ddp.forward(x()).unwrap();
    let after_first = running_mean(&ddp);
    let all = everyone(&after_first);
    assert_ne!(
        all[..8],
        all[8..16],
        "each rank updates its statistics from its own batch"
    );
    let rank0_after_first = all[..8].to_vec();
    // The next forward starts from rank 0's statistics: momentum 0.1 of this rank's batch mean
    // on top of them.
    let batch = x();
    let batch_mean =
        ddp.module()
            .head
            .forward(batch.clone())
            .as_tch()
            .mean_dim(0, false, tch::Kind::Float);
    let _ = ddp.forward(batch).unwrap();
    let expected = tch::Tensor::from_slice(&rank0_after_first) * 0.9 + batch_mean * 0.1;
    let got = running_mean(&ddp);
    let diff = (got.as_tch() - expected).abs().max().double_value(&[]);
    assert!(diff < 1e-6, "rank {rank}: running mean off by {diff}");
    println!("rank {rank}: buffers ok");
}

const DEADLINE: Duration = Duration::from_secs(240);

#[test]
fn batch_norm_statistics_come_from_rank_0_before_each_forward() {
    assert_all_ok(&run_ranks("worker", 2, "buffers", &[], DEADLINE));
}

#[test]
fn a_stopped_and_resumed_run_equals_an_uninterrupted_one_bit_for_bit() {
    let dir = std::env::temp_dir().join(format!("tt-ddp-resume-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for phase in ["full", "first", "second"] {
        let extra = [
            ("TT_DIR", dir.display().to_string()),
            ("TT_PHASE", phase.to_string()),
        ];
        assert_all_ok(&run_ranks("worker", 2, "resume", &extra, DEADLINE));
    }
    let read = |name: &str| {
        let mut tensors = tch::Tensor::read_safetensors(dir.join(name)).unwrap();
        tensors.sort_by(|a, b| a.0.cmp(&b.0));
        tensors
    };
    let (full, resumed, first) = (
        read("full.safetensors"),
        read("second.safetensors"),
        read("checkpoint.safetensors"),
    );
    assert_eq!(full.len(), resumed.len());
    assert!(
        full.iter().any(|(n, _)| n.starts_with("@optimizer")),
        "the optimizer state is saved too"
    );
    for ((name, a), (name_b, b)) in full.iter().zip(&resumed) {
        assert_eq!(name, name_b);
        assert!(a.equal(b), "{name} differs after resuming");
    }
    // The first phase really stopped half-way: its weights differ from the end's.
    let weight = |set: &[(String, tch::Tensor)]| {
        set.iter()
            .find(|(n, _)| n == "0.weight")
            .unwrap()
            .1
            .shallow_clone()
    };
    assert!(!weight(&first).equal(&weight(&full)));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn ddp_with_two_ranks_equals_one_process() {
    assert_all_ok(&run_ranks("worker", 2, "equivalence", &[], DEADLINE));
}

#[test]
fn ddp_with_three_ranks_equals_one_process() {
    assert_all_ok(&run_ranks("worker", 3, "equivalence", &[], DEADLINE));
}

#[test]
fn ranks_with_different_models_are_refused() {
    assert_all_ok(&run_ranks("worker", 2, "mismatch", &[], DEADLINE));
}
