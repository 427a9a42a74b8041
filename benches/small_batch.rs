//! Small-batch training steps: typed-torch's compiled step (`typed_torch::compiled::TrainStep`)
//! against raw `tch` and PyTorch eager (a worker process), interleaved in blocks round after
//! round. The MLP of the README (784-300-100-10, sigmoid, cross-entropy, SGD lr 0.01) at batch
//! 1, 8, 32 and 256, and LeNet-5 at batch 64 with Adam. Every side runs at `BENCH_THREADS`
//! (libtorch's setting; the compiled step may use fewer for small work, see
//! `typed_torch::compiled::Threads`). The report: stdout, and `$BENCH_OUT/small_batch.json`.
#![allow(missing_docs)]

mod common;

use std::hint::black_box;

use common::interleaved::{interleave, Pass, Worker};
use common::workloads::{batch, tch_lenet, tch_loss, tch_mlp_sgd, typed_batch, typed_mlp_sgd};
use tch::nn::{self, Module as _, OptimizerConfig as _};
use tch::Device;
use typed_torch::compiled::TrainStep;
use typed_torch::nn::Init;
use typed_torch::optim::{Adam, AdamConfig};

/// Batch sizes of the MLP rows.
const MLP_BATCHES: [i64; 4] = [1, 8, 32, 256];

/// A raw tch training step of `model` with `opt` on one fixed batch of `n`.
fn raw_step<'a>(model: &'a nn::Sequential, opt: &'a mut nn::Optimizer, n: i64) -> Pass<'a> {
    let (x, y) = batch(n);
    Box::new(move || {
        opt.zero_grad();
        let loss = tch_loss(&model.forward(&x), &y);
        loss.backward();
        opt.step();
        let _ = black_box(loss);
    })
}

fn main() {
    let threads = common::set_threads();
    let rounds: usize = common::env_or("BENCH_PAIRED_ROUNDS", 30);
    let block_ms: f64 = common::env_or("BENCH_PAIRED_BLOCK_MS", 50.0);
    let mut worker = Worker::start("small_batch_torch.py", &[]);
    let mut rows = Vec::new();
    let only: String = common::env_or("BENCH_FILTER", String::new());
    let mut run = |name: String, typed: &mut Pass<'_>, raw: &mut Pass<'_>| {
        if !name.contains(&only) {
            return;
        }
        // Blocks of about `block_ms`, sized from one timed pass of the raw step.
        let per_step = common::interleaved::block(raw, 20);
        let iters = ((block_ms / 1e3 / per_step) as usize).max(1);
        let r = interleave(&name, typed, raw, &mut worker, rounds, iters);
        println!(
            "{name:<16} compiled {:>9.1} µs  tch {:>9.1} µs  PyTorch {:>9.1} µs  \
             compiled/tch {:.3}  compiled/PyTorch {:.3}",
            1e6 * r.typed,
            1e6 * r.tch,
            1e6 * r.torch,
            r.typed_over_tch,
            r.typed_over_torch
        );
        rows.push(serde_json::json!({
            "workload": name, "compiled": r.typed, "tch": r.tch, "torch": r.torch,
            "compiled_over_tch": r.typed_over_tch, "compiled_over_torch": r.typed_over_torch,
            "iters": iters,
        }));
    };

    for n in MLP_BATCHES {
        let (mut model, mut opt) = typed_mlp_sgd();
        let (x, y) = typed_batch(n);
        let mut step = TrainStep::new();
        let mut typed: Pass<'_> = Box::new(|| {
            black_box(step.run(&mut model, &mut opt, &x, &y).unwrap());
        });
        let (_vs, raw_model, mut raw_opt) = tch_mlp_sgd();
        let mut raw = raw_step(&raw_model, &mut raw_opt, n);
        run(format!("mlp_train/{n}"), &mut typed, &mut raw);
    }

    let mut lenet = typed_torch_models::lenet::LeNet::init().unwrap();
    let mut adam = Adam::new(&mut lenet, AdamConfig::default()).unwrap();
    let (x, y) = typed_batch(common::workloads::LENET_BATCH);
    let mut step = TrainStep::new();
    let mut typed: Pass<'_> = Box::new(|| {
        black_box(step.run(&mut lenet, &mut adam, &x, &y).unwrap());
    });
    let vs = nn::VarStore::new(Device::Cpu);
    let raw_model = tch_lenet(&vs);
    let mut raw_opt = nn::Adam::default().build(&vs, 1e-3).unwrap();
    let mut raw = raw_step(&raw_model, &mut raw_opt, common::workloads::LENET_BATCH);
    run("lenet_train".into(), &mut typed, &mut raw);

    let report = serde_json::json!({
        "threads": threads, "rounds": rounds, "block_ms": block_ms, "rows": rows,
    });
    if let Ok(dir) = std::env::var("BENCH_OUT") {
        let path = std::path::Path::new(&dir).join("small_batch.json");
        std::fs::write(&path, report.to_string()).expect("writing small_batch.json");
        println!("wrote {}", path.display());
    }
}
