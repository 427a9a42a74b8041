//! What every Rust benchmark shares with `benches/pytorch.py`: the thread count and the timing
//! method (warm-up, then a fixed number of equal samples; the report takes the median of the
//! per-iteration times of the samples), so the rows of `benches/RESULTS.md` are comparable.
#![allow(dead_code)] // each bench binary uses its own subset

pub mod interleaved;
pub mod workloads;

use std::time::Duration;

use criterion::{Criterion, SamplingMode};

/// A setting from the environment (`scripts/bench.sh` sets the same ones for the Python side),
/// else `default`.
pub fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Sets libtorch's intra-op thread count to `BENCH_THREADS` (default: every core) and returns
/// it. Both libtorch and the fused optimizer kernels read this count.
pub fn set_threads() -> i32 {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = env_or("BENCH_THREADS", cores as i32);
    tch::set_num_threads(threads);
    threads
}

/// Criterion configured like `pytorch.py`: flat sampling (every sample runs the same number of
/// iterations, as the Python harness does), `BENCH_SAMPLES` samples after `BENCH_WARMUP_S`
/// seconds of warm-up, about `BENCH_MEASURE_S` seconds of measurement. No plots: the report is
/// `benches/RESULTS.md`.
pub fn criterion() -> Criterion {
    set_threads();
    Criterion::default()
        .sample_size(env_or("BENCH_SAMPLES", 50))
        .warm_up_time(Duration::from_secs_f64(env_or("BENCH_WARMUP_S", 1.0)))
        .measurement_time(Duration::from_secs_f64(env_or("BENCH_MEASURE_S", 3.0)))
        .without_plots()
        .configure_from_args()
}

/// Flat sampling for a group: criterion's default (linear) sampling gives sample `i` `i` times
/// the iterations, which the Python harness would have to mimic.
pub fn flat(group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    group.sampling_mode(SamplingMode::Flat);
}
