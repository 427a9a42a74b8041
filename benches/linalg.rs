//! Linear algebra with gradients, typed-torch against the same computation on raw `tch` and in
//! PyTorch eager (a worker process holding the same data), interleaved in blocks round after
//! round. Two workloads:
//!
//! * `gp`: a Gaussian process's negative log marginal likelihood and its gradient in the kernel's
//!   hyper-parameters, 512 points of 8 features (f64): an RBF kernel matrix, its Cholesky factor,
//!   a Cholesky solve and the log-determinant, then backward; the cost is the `O(n^3)` kernels.
//!   The kernel matrix becomes a `Symmetric` unchanged (`new_unvalidated`), as raw tch uses it;
//!   `sym` would add two passes over it and one to the backward.
//! * `small`: 256 well-conditioned 4x4 matrices (f64): `det`, `inv`, `solve` and `chol` of their
//!   symmetric part, summed, then backward; the cost is per-op overhead, typed-torch's checks
//!   (finite inputs, info codes) included.
//!
//! The report (stdout, and `$BENCH_OUT/linalg.json`) gives median times and the median per-round
//! ratios.
#![allow(missing_docs)]

mod common;

use common::interleaved::{interleave, Pass, Worker};
use typed_torch::linalg::{sym, Symmetric};
use typed_torch::prelude::*;

const POINTS: i64 = 512;
const FEATURES: usize = 8;
const MATRICES: i64 = 256;

type Points = Tensor<(Dyn, D<FEATURES>), f64>;
type Targets = Tensor<(Dyn,), f64>;
type Lengths = Tensor<(D<FEATURES>,), f64>;
type Scalar = Tensor<(), f64>;
type Batch = Tensor<(Dyn, D<4>, D<4>), f64>;

const HALF_LOG_TWO_PI: f64 = 0.918_938_533_204_672_8;

/// Typed: `0.5 y^T (K + s I)^-1 y + sum log diag L + n/2 log 2 pi`.
fn gp_typed(x: &Points, y: &Targets, lengths: &Lengths, signal: &Scalar, noise: &Scalar) -> Scalar {
    let scaled = x / &lengths.exp();
    let sq = scaled.square().sum::<1>();
    let cross = scaled.matmul(&scaled.t()).mul_scalar(2.0);
    let dist = sq.unsqueeze::<1>() + sq.unsqueeze::<0>() - cross;
    let k = dist.mul_scalar(-0.5).exp() * &signal.exp();
    let n = y.size()[0];
    let noise_diag = Targets::ones_dyn(&[n]).unwrap() * &noise.exp();
    // Symmetric by construction, as raw tch takes it: no averaging pass.
    let a = Symmetric::new_unvalidated(k).add_to_diagonal(&noise_diag);
    let l = a.chol().expect("positive-definite");
    let alpha = l.chol_solve(y).unwrap();
    y.dot(&alpha).mul_scalar(0.5) + l.diagonal().log().sum_all() + n as f64 * HALF_LOG_TWO_PI
}

/// The same on raw tch.
fn gp_raw(
    x: &tch::Tensor,
    y: &tch::Tensor,
    lengths: &tch::Tensor,
    signal: &tch::Tensor,
    noise: &tch::Tensor,
) -> tch::Tensor {
    let scaled = x / lengths.exp();
    let sq = scaled.square().sum_dim_intlist(1, false, None);
    let dist = sq.unsqueeze(1) + sq.unsqueeze(0) - scaled.matmul(&scaled.tr()) * 2.0;
    let k = (dist * -0.5).exp() * signal.exp();
    let n = y.size()[0];
    let a = k + tch::Tensor::eye(n, (tch::Kind::Double, tch::Device::Cpu)) * noise.exp();
    let l = a.linalg_cholesky(false);
    let alpha = y.unsqueeze(1).cholesky_solve(&l, false).squeeze_dim(1);
    (y * alpha).sum(None) * 0.5 + l.diagonal(0, -2, -1).log().sum(None) + n as f64 * HALF_LOG_TWO_PI
}

/// Typed: `det + inv + solve + chol(sym)`, each summed.
fn small_typed(a: &Batch, b: &Tensor<(Dyn, D<4>), f64>) -> Scalar {
    let det = a.det().sum_all();
    let inv = a.inv().unwrap().sum_all();
    let x = a.solve(b).unwrap().sum_all();
    let l = sym(a).chol().unwrap().sum_all();
    det + inv + x + l
}

/// The same on raw tch (no symmetrization needed by the kernel, but done for the same work).
fn small_raw(a: &tch::Tensor, b: &tch::Tensor) -> tch::Tensor {
    let det = tch::Tensor::linalg_det(a).sum(None);
    let inv = tch::Tensor::linalg_inv(a).sum(None);
    let x = tch::Tensor::linalg_solve(a, b, true).sum(None);
    let s = (a + a.transpose(-2, -1)) * 0.5;
    let l = s.linalg_cholesky(false).sum(None);
    det + inv + x + l
}

fn main() {
    let threads = common::set_threads();
    let rounds: usize = common::env_or("BENCH_LINALG_ROUNDS", 7);
    let opts = (tch::Kind::Double, tch::Device::Cpu);
    tch::manual_seed(0);
    let x_raw = tch::Tensor::randn([POINTS, FEATURES as i64], opts);
    let y_raw = (x_raw.sum_dim_intlist(1, false, None) * 0.5).sin()
        + tch::Tensor::randn([POINTS], opts) * 0.1;
    let leaf = |t: tch::Tensor| t.set_requires_grad(true);
    let (lengths_raw, signal_raw, noise_raw) = (
        leaf(tch::Tensor::zeros([FEATURES as i64], opts)),
        leaf(tch::Tensor::zeros([], opts)),
        leaf(tch::Tensor::full([], -2.0, opts)),
    );
    let eye = tch::Tensor::eye(4, opts);
    let a_raw = leaf(tch::Tensor::randn([MATRICES, 4, 4], opts) * 0.3 + &eye * 4.0);
    let b_raw = leaf(tch::Tensor::randn([MATRICES, 4], opts));

    let x = Points::from_tch(x_raw.shallow_clone()).unwrap();
    let y = Targets::from_tch(y_raw.shallow_clone()).unwrap();
    let lengths = Lengths::from_tch(lengths_raw.shallow_clone()).unwrap();
    let signal = Scalar::from_tch(signal_raw.shallow_clone()).unwrap();
    let noise = Scalar::from_tch(noise_raw.shallow_clone()).unwrap();
    let a = Batch::from_tch(a_raw.shallow_clone()).unwrap();
    let b = Tensor::<(Dyn, D<4>), f64>::from_tch(b_raw.shallow_clone()).unwrap();

    // The same values from both sides before timing anything.
    let typed_value = gp_typed(&x, &y, &lengths, &signal, &noise).to_vec()[0];
    let raw_value = gp_raw(&x_raw, &y_raw, &lengths_raw, &signal_raw, &noise_raw).double_value(&[]);
    assert!(
        (typed_value - raw_value).abs() < 1e-9 * raw_value.abs(),
        "{typed_value} vs {raw_value}"
    );

    let out = std::path::PathBuf::from(
        std::env::var("BENCH_OUT")
            .unwrap_or_else(|_| std::env::temp_dir().to_string_lossy().into()),
    );
    std::fs::create_dir_all(&out).expect("creating BENCH_OUT");
    let data = out.join("linalg_data.safetensors");
    let named = [
        ("x", &x_raw),
        ("y", &y_raw),
        ("a", &a_raw.detach()),
        ("b", &b_raw.detach()),
    ];
    tch::Tensor::write_safetensors(&named, &data).expect("writing the data");

    let workloads: Vec<(&str, usize, Pass<'_>, Pass<'_>)> = vec![
        (
            "gp",
            common::env_or("BENCH_LINALG_GP_ITERS", 5),
            Box::new(|| gp_typed(&x, &y, &lengths, &signal, &noise).backward()),
            Box::new(|| gp_raw(&x_raw, &y_raw, &lengths_raw, &signal_raw, &noise_raw).backward()),
        ),
        (
            "small",
            common::env_or("BENCH_LINALG_SMALL_ITERS", 50),
            Box::new(|| small_typed(&a, &b).backward()),
            Box::new(|| small_raw(&a_raw, &b_raw).backward()),
        ),
    ];
    let mut worker = Worker::start("linalg_torch.py", &[&data]);
    let mut results = vec![];
    println!(
        "| workload | typed-torch | raw tch | PyTorch eager | typed / tch | typed / PyTorch |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (name, iters, mut typed, mut raw) in workloads {
        let r = interleave(name, &mut typed, &mut raw, &mut worker, rounds, iters);
        println!(
            "| {name} | {:.3} ms | {:.3} ms | {:.3} ms | {:.3} | {:.3} |",
            1e3 * r.typed,
            1e3 * r.tch,
            1e3 * r.torch,
            r.typed_over_tch,
            r.typed_over_torch
        );
        results.push(serde_json::json!({
            "name": name, "typed": r.typed, "tch": r.tch, "torch": r.torch,
            "typed_over_tch": r.typed_over_tch, "typed_over_torch": r.typed_over_torch,
            "rounds": rounds, "iters": iters,
        }));
    }
    let report = serde_json::json!({
        "points": POINTS, "features": FEATURES, "matrices": MATRICES, "threads": threads,
        "results": results,
    });
    std::fs::write(out.join("linalg.json"), report.to_string()).expect("writing linalg.json");
}
