//! Peak and current resident memory of the MLP training loop (batch 32, SGD) over 10,000 steps,
//! read from `/proc/self/status` every 1,000 steps: a leak (a graph, gradient or optimizer
//! buffer kept alive per step) would make both grow with the step count. Not a criterion bench:
//! it prints one JSON object (to `$BENCH_OUT/memory.json` when set) for `benches/report.py`.
mod common;

use typed_torch::loss::{cross_entropy, Mean};
use typed_torch::nn::{Module, Sigmoid};
use typed_torch::optim::{Optimizer, Sgd, SgdConfig};
use typed_torch::prelude::*;
use typed_torch::{Dyn, Tensor, D};

/// `VmHWM` (peak) and `VmRSS` (current) in KiB; zeros where `/proc` is not available.
fn rss_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

fn main() {
    let threads = common::set_threads();
    let steps: usize = common::env_or("BENCH_MEMORY_STEPS", 10_000);
    tch::manual_seed(0);
    let mut model = typed_torch_models::mlp::Mlp::<Sigmoid>::init().unwrap();
    let mut opt = Sgd::new(
        &mut model,
        SgdConfig {
            lr: 0.01,
            ..Default::default()
        },
    )
    .unwrap();
    let x: Tensor<(Dyn, D<1>, D<28>, D<28>)> = Tensor::randn_dyn(&[32]).unwrap();
    let y: Tensor<(Dyn,), i64> = Tensor::from_tch(tch::Tensor::randint(
        10,
        [32],
        (tch::Kind::Int64, tch::Device::Cpu),
    ))
    .unwrap();
    let mut rows = Vec::new();
    let start = std::time::Instant::now();
    let (hwm, rss) = rss_kib();
    rows.push(format!("[0, {hwm}, {rss}]"));
    for step in 1..=steps {
        opt.zero_grad();
        let loss = cross_entropy(&model.forward(x.clone()), &y, Mean);
        loss.backward();
        opt.step(&mut model).unwrap();
        if step % 1000 == 0 {
            let (hwm, rss) = rss_kib();
            eprintln!(
                "step {step:>6}: VmHWM {hwm} KiB, VmRSS {rss} KiB, loss {:.4}",
                loss.item()
            );
            rows.push(format!("[{step}, {hwm}, {rss}]"));
        }
    }
    let json = format!(
        "{{\"threads\": {threads}, \"batch\": 32, \"steps\": {steps}, \"seconds\": {:.3}, \
         \"rows\": [{}]}}\n",
        start.elapsed().as_secs_f64(),
        rows.join(", ")
    );
    print!("{json}");
    if let Ok(dir) = std::env::var("BENCH_OUT") {
        std::fs::write(std::path::Path::new(&dir).join("memory.json"), json).unwrap();
    }
}
