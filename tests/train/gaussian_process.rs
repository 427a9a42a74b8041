//! The `gaussian_process` example: its log marginal likelihood and the likelihood's autograd
//! gradient equal scikit-learn's (`tests/reference/gp_sklearn.py`) at fixed, non-trivial
//! hyper-parameters, and so do its test predictions; a fit shortened to 60 Adam steps (the
//! example runs 300) learns; failures are errors.
//!
//! Measured gaps to scikit-learn (held to 1e-8 relative): the likelihood 1.4e-16, its gradient at
//! most 1.2e-14 of the largest component, the predictive means and sds at most 3.1e-14.
//!
//! Measured for the 60-step fit (debug build): the log marginal likelihood rises from -494.07 to
//! -373.46 (scikit-learn's L-BFGS optimum: -371.39), test RMSE 53.56 (scikit-learn 53.32; 63.96
//! before fitting, 58.67 after 10 steps), MLPD -5.403 (scikit-learn -5.398; -5.748 before
//! fitting).
use crate::common::python;
use crate::gaussian_process_example::{
    fit, load, log_marginal_likelihood, posterior, predict, Args, Hyper, FEATURES,
};
use clap::Parser;
use std::path::{Path, PathBuf};
use typed_torch::{no_grad, Error};

/// The set-up's diabetes split.
fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(".typed-torch/diabetes")
}

/// The example's options with `--out` in the target's scratch directory, quiet.
fn args(extra: &[&str]) -> Args {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gaussian-process-{}", std::process::id()));
    let out = out.to_string_lossy().into_owned();
    let mut args = Args::parse_from(
        ["gaussian_process", "--out", &out]
            .into_iter()
            .chain(extra.iter().copied()),
    );
    args.verbose = false;
    args
}

/// `|actual - expected| <= tol * max(|expected|, floor)`, with a message naming the quantity.
fn assert_relative(what: &str, actual: f64, expected: f64, tol: f64, floor: f64) {
    let scale = expected.abs().max(floor);
    let gap = (actual - expected).abs();
    assert!(
        gap <= tol * scale,
        "{what}: {actual} against scikit-learn's {expected} (relative gap {:e})",
        gap / scale
    );
}

#[test]
fn likelihood_gradient_and_predictions_match_scikit_learn() {
    // Signal variance 0.8, length-scales evenly from 1 to 5, noise variance 0.3.
    let log_lengths: [f64; FEATURES] =
        std::array::from_fn(|i| (1.0 + 4.0 * i as f64 / (FEATURES - 1) as f64).ln());
    let (log_signal, log_noise) = (0.8f64.ln(), 0.3f64.ln());
    let theta: Vec<f64> = std::iter::once(log_signal)
        .chain(log_lengths)
        .chain([log_noise])
        .collect();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/gp_sklearn.py");
    let output = std::process::Command::new(python())
        .arg(&script)
        .arg(data_dir())
        .arg(serde_json::to_string(&theta).unwrap())
        .output()
        .unwrap_or_else(|e| panic!("could not run {}: {e}", python().display()));
    assert!(
        output.status.success(),
        "{} failed:\n{}",
        script.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let sklearn: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let numbers = |key: &str| -> Vec<f64> {
        sklearn[key]
            .as_array()
            .unwrap_or_else(|| panic!("{key} missing"))
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect()
    };

    let data = load(&data_dir()).unwrap();
    let hyper = Hyper::from_log(log_signal, log_lengths, log_noise);
    let lml = log_marginal_likelihood(&hyper, &data.train_x, &data.train_y).unwrap();
    lml.backward();
    assert_relative(
        "log marginal likelihood",
        lml.item(),
        sklearn["lml"].as_f64().unwrap(),
        1e-8,
        0.0,
    );
    // The gradient in scikit-learn's order: log s², the 10 log length-scales, log σ². Components
    // near 0 (one is 0.06, the largest 38.8) are held to 1e-8 of the largest.
    fn grad<S: typed_torch::Shape>(t: &typed_torch::Tensor<S, f64>) -> Vec<f64> {
        t.grad().expect("a gradient").to_vec()
    }
    let ours: Vec<f64> = grad(&hyper.log_signal_variance)
        .into_iter()
        .chain(grad(&hyper.log_length_scales))
        .chain(grad(&hyper.log_noise_variance))
        .collect();
    let theirs = numbers("gradient");
    assert_eq!(ours.len(), theirs.len());
    let largest = theirs.iter().fold(0.0f64, |m, g| m.max(g.abs()));
    for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
        assert_relative(&format!("d LML / d theta[{i}]"), *a, *b, 1e-8, largest);
    }

    // The predictions at the same hyper-parameters (standardized units, noise included).
    let (mean, variance) = no_grad(|| {
        let conditioned = posterior(&hyper, &data.train_x, &data.train_y).unwrap();
        predict(&hyper, &conditioned, &data.train_x, &data.test_x).unwrap()
    });
    let sd = variance.sqrt().to_vec();
    for (i, (a, b)) in mean.to_vec().iter().zip(numbers("mean")).enumerate() {
        assert_relative(&format!("predictive mean {i}"), *a, b, 1e-8, 1.0);
    }
    for (i, (a, b)) in sd.iter().zip(numbers("std")).enumerate() {
        assert_relative(&format!("predictive sd {i}"), *a, b, 1e-8, 0.0);
    }
    assert_eq!(sd.len(), 100);
}

#[test]
fn a_short_fit_learns_and_draws_its_predictions() {
    let report = fit(&args(&["--steps", "60"])).unwrap();
    let sklearn = &report.sklearn;
    assert_eq!((sklearn.train_rows, sklearn.test_rows), (342, 100));
    // Every log-hyper-parameter 0 (scikit-learn's start too).
    assert!(
        (report.lml_start + 494.067).abs() < 1e-3,
        "starting LML {}",
        report.lml_start
    );
    assert!(
        report.lml > report.lml_start + 115.0,
        "LML {:.3} after 60 steps, {:.3} at the start",
        report.lml,
        report.lml_start
    );
    assert!(
        report.lml <= sklearn.log_marginal_likelihood + 1e-3,
        "LML {:.3} above scikit-learn's optimum {:.3}",
        report.lml,
        sklearn.log_marginal_likelihood
    );
    assert!(
        report.test_rmse < 1.1 * sklearn.test_rmse,
        "test RMSE {:.2}, scikit-learn's {:.2}",
        report.test_rmse,
        sklearn.test_rmse
    );
    assert!(
        report.test_mlpd > sklearn.test_mlpd - 0.05,
        "test MLPD {:.4}, scikit-learn's {:.4}",
        report.test_mlpd,
        sklearn.test_mlpd
    );
    assert!(
        (0.3..0.6).contains(&report.noise_variance),
        "noise variance {} (scikit-learn's {})",
        report.noise_variance,
        sklearn.noise_variance
    );
    let bytes = std::fs::read(&report.picture).unwrap();
    assert!(
        report.picture.ends_with("gaussian_process/predictions.png"),
        "{}",
        report.picture.display()
    );
    assert_eq!(
        &bytes[..8],
        b"\x89PNG\r\n\x1a\n",
        "{} is not a PNG",
        report.picture.display()
    );
    assert!(bytes.len() > 10_000, "{} bytes", bytes.len());
}

#[test]
fn failures_are_errors_not_panics() {
    let data = load(&data_dir()).unwrap();
    // A NaN length-scale makes a NaN kernel matrix: `chol` refuses it.
    let mut log_lengths = [0.0; FEATURES];
    log_lengths[3] = f64::NAN;
    let hyper = Hyper::from_log(0.0, log_lengths, 0.0);
    let error = log_marginal_likelihood(&hyper, &data.train_x, &data.train_y).unwrap_err();
    assert!(matches!(error, Error::Linalg { op: "chol", .. }), "{error}");
    // A directory without the data names the file.
    let mut missing = args(&["--steps", "1"]);
    missing.data = Some(PathBuf::from("/nonexistent/diabetes"));
    let error = fit(&missing).unwrap_err().to_string();
    assert!(error.contains("/nonexistent/diabetes/train.csv"), "{error}");
}
