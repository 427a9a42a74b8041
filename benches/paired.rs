//! typed-torch against raw `tch`, interleaved: the ratio the README quotes.
//!
//! Criterion (benches/mlp.rs, lenet.rs) measures each implementation in its own stretch of time,
//! so a machine whose speed drifts (other tenants, frequency changes, OpenMP threads competing
//! with anything else) moves one side of a ratio and not the other. Here both implementations of a
//! workload alternate in blocks of equal length, `BENCH_PAIRED_ROUNDS` rounds with the order
//! switched every round, and each round gives one typed/tch ratio from two blocks measured
//! milliseconds apart. `benches/report.py` reports the median of those ratios and their spread;
//! the raw block times go to `$BENCH_OUT/paired.json`.
#![allow(missing_docs)]

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use common::workloads::{
    batch, tch_lenet, tch_loss, tch_mlp_sgd, typed_batch, typed_mlp_sgd, BATCHES, LENET_BATCH,
};
use tch::nn::{self, Module as _, OptimizerConfig as _};
use tch::Device;
use typed_torch::loss::{cross_entropy, Mean};
use typed_torch::nn::Module;
use typed_torch::optim::{Adam, AdamConfig, Optimizer, Sgd};
use typed_torch::prelude::*;

/// One iteration of a workload.
type Run<'a> = Box<dyn FnMut() + 'a>;

/// One workload's two implementations.
struct Pair<'a> {
    name: String,
    typed: Run<'a>,
    tch: Run<'a>,
}

/// Seconds per iteration of `iters` runs of `f`.
fn block(f: &mut dyn FnMut(), iters: u64) -> f64 {
    let start = Instant::now();
    for _ in 0..iters {
        f();
    }
    start.elapsed().as_secs_f64() / iters as f64
}

/// Per-iteration seconds of every block: (typed, tch), one entry per round.
fn measure(pair: &mut Pair<'_>, rounds: usize, block_time: Duration) -> (Vec<f64>, Vec<f64>) {
    // Warm-up (allocator, OpenMP team, caches), which also sizes the blocks.
    let warm_up = Instant::now();
    let mut per_iter = 0.0f64;
    while warm_up.elapsed() < block_time * 10 {
        per_iter = block(&mut pair.typed, 1).max(block(&mut pair.tch, 1));
    }
    let iters = ((block_time.as_secs_f64() / per_iter) as u64).max(1);
    let (mut typed, mut tch) = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
    for round in 0..rounds {
        // Alternate which side goes first, so neither always follows the other.
        if round % 2 == 0 {
            typed.push(block(&mut pair.typed, iters));
            tch.push(block(&mut pair.tch, iters));
        } else {
            tch.push(block(&mut pair.tch, iters));
            typed.push(block(&mut pair.typed, iters));
        }
    }
    (typed, tch)
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// MLP forward, gradient and training step at every batch size, as in benches/mlp.rs.
fn mlp_pairs<'a>(
    typed: &'a mut typed_torch_models::mlp::Mlp,
    typed_opt: &'a mut Sgd<typed_torch_models::mlp::Mlp>,
    raw: &'a nn::Sequential,
    raw_opt: &'a mut nn::Optimizer,
    n: i64,
    what: &str,
) -> Pair<'a> {
    let (tx, ty) = typed_batch(n);
    let (x, y) = batch(n);
    let (typed_run, tch_run): (Run<'a>, Run<'a>) = match what {
        "forward" => (
            Box::new(move || {
                let _ = black_box(typed_torch::no_grad(|| typed.forward(tx.clone())));
            }),
            Box::new(move || {
                let _ = black_box(tch::no_grad(|| raw.forward(&x)));
            }),
        ),
        "gradient" => (
            Box::new(move || {
                typed_opt.zero_grad();
                let loss = cross_entropy(&typed.forward(tx.clone()), &ty, Mean);
                loss.backward();
                let _ = black_box(loss);
            }),
            Box::new(move || {
                raw_opt.zero_grad();
                let loss = tch_loss(&raw.forward(&x), &y);
                loss.backward();
                let _ = black_box(loss);
            }),
        ),
        _ => (
            Box::new(move || {
                typed_opt.zero_grad();
                let loss = cross_entropy(&typed.forward(tx.clone()), &ty, Mean);
                loss.backward();
                typed_opt.step(typed).unwrap();
                let _ = black_box(loss);
            }),
            Box::new(move || {
                raw_opt.zero_grad();
                let loss = tch_loss(&raw.forward(&x), &y);
                loss.backward();
                raw_opt.step();
                let _ = black_box(loss);
            }),
        ),
    };
    Pair {
        name: format!("mlp_{what}/{n}"),
        typed: typed_run,
        tch: tch_run,
    }
}

fn main() {
    let threads = common::set_threads();
    let rounds: usize = common::env_or("BENCH_PAIRED_ROUNDS", 60);
    let block_time = Duration::from_secs_f64(common::env_or("BENCH_PAIRED_BLOCK_MS", 20.0) / 1e3);
    let mut results = serde_json::Map::new();
    let mut record = |pair: &mut Pair<'_>| {
        let (typed, tch) = measure(pair, rounds, block_time);
        let ratios: Vec<f64> = typed.iter().zip(&tch).map(|(a, b)| a / b).collect();
        println!(
            "{:<18} typed {:>9.1} µs  tch {:>9.1} µs  typed/tch {:.3} (median of {rounds} rounds)",
            pair.name,
            median(&typed) * 1e6,
            median(&tch) * 1e6,
            median(&ratios)
        );
        results.insert(
            pair.name.clone(),
            serde_json::json!({ "typed": typed, "tch": tch }),
        );
    };

    for what in ["forward", "gradient", "train"] {
        for n in BATCHES {
            let (mut typed, mut typed_opt) = typed_mlp_sgd();
            let (_vs, raw, mut raw_opt) = tch_mlp_sgd();
            let mut pair = mlp_pairs(&mut typed, &mut typed_opt, &raw, &mut raw_opt, n, what);
            record(&mut pair);
        }
    }

    // LeNet training step with Adam, as in benches/lenet.rs.
    let (x, y) = batch(LENET_BATCH);
    let (tx, ty) = typed_batch(LENET_BATCH);
    let mut typed = typed_torch_models::lenet::LeNet::init().unwrap();
    let mut opt = Adam::new(&mut typed, AdamConfig::default()).unwrap();
    let vs = nn::VarStore::new(Device::Cpu);
    let raw = tch_lenet(&vs);
    let mut raw_opt = nn::Adam::default().build(&vs, 1e-3).unwrap();
    record(&mut Pair {
        name: "lenet_train".into(),
        typed: Box::new(|| {
            opt.zero_grad();
            let loss = cross_entropy(&typed.forward(tx.clone()), &ty, Mean);
            loss.backward();
            opt.step(&mut typed).unwrap();
            let _ = black_box(loss);
        }),
        tch: Box::new(|| {
            raw_opt.zero_grad();
            let loss = tch_loss(&raw.forward(&x), &y);
            loss.backward();
            raw_opt.step();
            let _ = black_box(loss);
        }),
    });

    // A 2-layer LSTM, hidden 256, over 100 steps of batch 32: forward and backward (gradients
    // accumulate on both sides, as neither zeroes them).
    let typed_lstm = Lstm::<256, 256, NumLayers<2>>::init().unwrap();
    let tx = Tensor::<(D<100>, D<32>, D<256>)>::randn();
    let vs = nn::VarStore::new(Device::Cpu);
    // tch's `RNNConfig` defaults to batch-first, PyTorch's layers do not: said explicitly here.
    let config = nn::RNNConfig {
        num_layers: 2,
        batch_first: false,
        ..Default::default()
    };
    let raw_lstm = nn::lstm(vs.root(), 256, 256, config);
    let x = tx.as_tch().shallow_clone();
    record(&mut Pair {
        name: "lstm_gradient".into(),
        typed: Box::new(|| {
            let loss = typed_lstm.forward(tx.clone()).square().mean_all();
            loss.backward();
            let _ = black_box(loss);
        }),
        tch: Box::new(|| {
            let (y, _) = nn::RNN::seq(&raw_lstm, &x);
            let loss = y.square().mean(tch::Kind::Float);
            loss.backward();
            let _ = black_box(loss);
        }),
    });

    let out = serde_json::json!({
        "threads": threads,
        "rounds": rounds,
        "block_ms": block_time.as_secs_f64() * 1e3,
        "results": results,
    });
    if let Ok(dir) = std::env::var("BENCH_OUT") {
        let path = std::path::Path::new(&dir).join("paired.json");
        std::fs::write(&path, serde_json::to_string_pretty(&out).unwrap()).unwrap();
        println!("wrote {}", path.display());
    }
}
