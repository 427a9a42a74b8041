//! Online learning, the case the compiled step is for: the `online_mnist` example itself, with its
//! defaults but one pass. The README's MLP sees the real MNIST training digits one at a time
//! (batch 1, plain SGD), through the compiled step and eagerly from the same weights.
use crate::online_mnist_example::{run, Args};
use clap::Parser;

/// Measured: 10.0% of the 1,000 held-out digits right untrained, 88.3% after one pass over the
/// 4,000 training digits; the compiled and the eager model 9.5e-7 apart after 4,000 f32 steps.
#[test]
fn the_mlp_learns_mnist_one_digit_at_a_time_as_eagerly() {
    let _guard = crate::common::lock_generator();
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("online_mnist");
    let args = Args::parse_from([
        "online_mnist",
        "--passes",
        "1",
        "--out",
        out.to_str().unwrap(),
    ]);
    let report = run(&args).unwrap();
    println!("{report:?}");
    assert!(report.accuracy[0] < 0.2, "{report:?}");
    assert!(report.accuracy[1] > 0.85, "{report:?}");
    assert!(report.weight_gap < 1e-5, "{report:?}");
    assert!(out.join("online_mnist.png").exists());
}
