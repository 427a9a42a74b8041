//! The `mnist_ddp` example learns: 2 processes, 2 epochs on the set-up's real digits (the
//! README's figure is the full 12 epochs).
mod support;

use std::time::Duration;

use clap::Parser;
use support::{assert_all_ok, run_ranks};

#[path = "../examples/mnist_ddp.rs"]
#[allow(dead_code)]
mod mnist_ddp_example;

#[test]
#[ignore = "a rank: started by the test below"]
fn worker() {
    let out = std::env::var("TT_DIR").unwrap();
    let args = mnist_ddp_example::Args::parse_from(["mnist_ddp", "--epochs", "2", "--out", &out]);
    mnist_ddp_example::train(&args).unwrap();
}

#[test]
fn two_processes_learn_the_digits() {
    let dir = std::env::temp_dir().join(format!("tt-mnist-ddp-{}", std::process::id()));
    let extra = [("TT_DIR", dir.display().to_string())];
    let runs = run_ranks("worker", 2, "", &extra, Duration::from_secs(600));
    assert_all_ok(&runs);
    let line = runs[0]
        .output
        .lines()
        .find(|l| l.starts_with("test accuracy"))
        .unwrap_or_else(|| panic!("no summary in {}", runs[0].output));
    let accuracy: f64 = line["test accuracy ".len()..]
        .split('%')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    println!("{line}");
    assert!(accuracy > 90.0, "{line}");
    // Rank 0 wrote the run's files; the others wrote nothing.
    assert!(dir.join("mnist_ddp.safetensors").exists());
    assert!(dir.join("mnist_ddp.csv").exists());
    assert!(!runs[1].output.contains("test accuracy"));
    std::fs::remove_dir_all(&dir).unwrap();
}
