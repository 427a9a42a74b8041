//! Exact Gaussian-process regression with typed linear algebra, on scikit-learn's diabetes data
//! (442 patients, 10 baseline measurements, disease progression a year later; the set-up's fixed
//! split of 342 training and 100 test patients), next to scikit-learn's `GaussianProcessRegressor`
//! on the same split.
//!
//! The model is scikit-learn's: features and target standardized by the training split's mean
//! and population standard deviation, the kernel `s² exp(-½ Σ_d (x_d - x'_d)² / ℓ_d²)` with one
//! length-scale per feature (ARD) plus white noise of variance `σ²`, so that the training
//! targets are `y ~ N(0, K + σ² I)`. Its twelve hyper-parameters, in log space and all starting at
//! 0 as scikit-learn's do, are fitted by Adam on the log marginal likelihood
//!
//! `log p(y) = -½ yᵀ α - Σ_i log L_ii - n/2 log 2π`, with `L Lᵀ = K + σ² I` and `α = L⁻ᵀ L⁻¹ y`,
//!
//! computed with `typed_torch::linalg` (`sym`, `add_to_diagonal`, `chol`, `chol_solve`,
//! `solve_lower_triangular`, `diagonal`, `dot`, `mv`, `mt`) and differentiated by libtorch's
//! autograd: no hand-written gradient. A failed Cholesky
//! factorization (a matrix that is not positive-definite, a NaN) is an error, never a panic.
//!
//! The fitted model predicts the test patients (mean `K*ᵀ α`, variance `s² + σ² - ‖L⁻¹ K*‖²`,
//! the predictive variance of a new observation, noise included, as scikit-learn's); the example
//! prints the log marginal likelihood, test RMSE, mean log predictive density and the fitted
//! hyper-parameters beside scikit-learn's (`sklearn_gpr.json`, written by the set-up), and draws
//! the test predictions with ±2 sd bars against body mass index to
//! `runs/gaussian_process/predictions.png`.
//!
//! `cargo run --release --example gaussian_process` (`-- --help` for the options)
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use plotters::prelude::*;
use serde::Deserialize;
use typed_torch::data::CsvReader;
use typed_torch::linalg::{sym, R};
use typed_torch::optim::{Adam, AdamConfig, Optimizer};
use typed_torch::prelude::*;
use typed_torch::{Error, Result};

/// Measurements per patient.
pub const FEATURES: usize = 10;
/// The feature columns, in the CSV's order.
pub const FEATURE_NAMES: [&str; FEATURES] = [
    "age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6",
];
/// The target column.
pub const TARGET: &str = "progression";
/// The feature the picture is drawn against (body mass index).
const PLOTTED_FEATURE: usize = 2;
/// Added to the kernel matrix's diagonal: scikit-learn's default `alpha`, so that both fit the
/// same matrix.
pub const JITTER: f64 = 1e-10;

/// Patients' standardized features, one row each.
pub type Inputs = Tensor<(Dyn, D<FEATURES>), f64>;
/// One value per patient.
pub type Values = Tensor<(Dyn,), f64>;
/// A kernel matrix between two sets of patients.
pub type Matrix = Tensor<(Dyn, Dyn), f64>;

/// Fit a Gaussian process to the diabetes data and compare it with scikit-learn's.
#[derive(Parser, Debug, Clone)]
#[command(version)]
pub struct Args {
    /// Directory with `train.csv`, `test.csv` and `sklearn_gpr.json`; default: the set-up's.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Adam steps on the log marginal likelihood (each over the whole training set).
    #[arg(long, default_value_t = 300)]
    pub steps: usize,
    /// Adam's learning rate (in log-hyper-parameter units).
    #[arg(long, default_value_t = 0.05)]
    pub lr: f64,
    /// Where the picture goes (in a `gaussian_process` directory).
    #[arg(long, default_value = "runs")]
    pub out: PathBuf,
    /// Print progress and the comparison table (the tests turn it off).
    #[arg(skip = true)]
    pub verbose: bool,
}

/// scikit-learn's figures on the same split, as `scripts/diabetes_to_csv.py` wrote them.
#[derive(Debug, Clone, Deserialize)]
pub struct SklearnReference {
    /// The scikit-learn version that fitted them.
    pub sklearn_version: String,
    /// Training patients.
    pub train_rows: usize,
    /// Test patients.
    pub test_rows: usize,
    /// Root mean squared error of the predictive mean on the test patients (target units).
    pub test_rmse: f64,
    /// Mean log predictive density of the test targets (target units).
    pub test_mlpd: f64,
    /// Log marginal likelihood of the standardized training targets at the fit.
    pub log_marginal_likelihood: f64,
    /// The fitted `s²`.
    pub signal_variance: f64,
    /// The fitted length-scales, one per feature.
    pub length_scales: Vec<f64>,
    /// The fitted noise variance `σ²`.
    pub noise_variance: f64,
}

/// What a run measured and wrote.
#[derive(Debug, Clone)]
pub struct Report {
    /// Log marginal likelihood at the start (every log-hyper-parameter 0).
    pub lml_start: f64,
    /// Log marginal likelihood after the last step.
    pub lml: f64,
    /// Test RMSE of the predictive mean, in the target's units.
    pub test_rmse: f64,
    /// Mean log predictive density of the test targets, in the target's units.
    pub test_mlpd: f64,
    /// The fitted signal variance `s²`.
    pub signal_variance: f64,
    /// The fitted length-scales, in standardized feature units.
    pub length_scales: [f64; FEATURES],
    /// The fitted noise variance `σ²`.
    pub noise_variance: f64,
    /// Wall time per Adam step (likelihood, gradient and update), in seconds.
    pub seconds_per_step: f64,
    /// scikit-learn's figures on the same split.
    pub sklearn: SklearnReference,
    /// The picture of the test predictions.
    pub picture: PathBuf,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let report = fit(&args)?;
    println!(
        "log marginal likelihood {:.3} (from {:.3}), test RMSE {:.2}, MLPD {:.3}; picture: {}",
        report.lml,
        report.lml_start,
        report.test_rmse,
        report.test_mlpd,
        report.picture.display()
    );
    Ok(())
}

/// The kernel's hyper-parameters in log space: the parameters Adam moves.
#[derive(Debug, Clone, typed_torch::nn::Module)]
pub struct Hyper {
    /// `log s²`, the log signal variance.
    pub log_signal_variance: Tensor<(), f64>,
    /// `log ℓ_d`, one log length-scale per feature.
    pub log_length_scales: R<FEATURES, f64>,
    /// `log σ²`, the log noise variance.
    pub log_noise_variance: Tensor<(), f64>,
}

impl Hyper {
    /// The given log-hyper-parameters, as leaves that record gradients (scikit-learn's `theta`
    /// holds the same numbers: `[log s², log ℓ_1, ..., log ℓ_10, log σ²]`).
    pub fn from_log(
        log_signal_variance: f64,
        log_length_scales: [f64; FEATURES],
        log_noise_variance: f64,
    ) -> Self {
        Hyper {
            log_signal_variance: Tensor::scalar(log_signal_variance).requires_grad(),
            log_length_scales: R::from_array(log_length_scales).requires_grad(),
            log_noise_variance: Tensor::scalar(log_noise_variance).requires_grad(),
        }
    }

    /// scikit-learn's start: `s² = 1`, every `ℓ_d = 1`, `σ² = 1`.
    pub fn initial() -> Self {
        Self::from_log(0.0, [0.0; FEATURES], 0.0)
    }

    /// `s²`.
    pub fn signal_variance(&self) -> Tensor<(), f64> {
        self.log_signal_variance.exp()
    }

    /// `σ²`.
    pub fn noise_variance(&self) -> Tensor<(), f64> {
        self.log_noise_variance.exp()
    }

    /// The length-scales `ℓ_d`.
    pub fn length_scales(&self) -> R<FEATURES, f64> {
        self.log_length_scales.exp()
    }
}

/// The training and test patients, standardized by the training split's statistics.
#[derive(Debug)]
pub struct Diabetes {
    /// Standardized training features.
    pub train_x: Inputs,
    /// Standardized training targets.
    pub train_y: Values,
    /// Standardized test features.
    pub test_x: Inputs,
    /// Test targets in their own units.
    pub test_y: Values,
    /// The plotted feature of the test patients, in its own units.
    pub test_bmi: Values,
    /// Mean of the training targets.
    pub y_mean: f64,
    /// Population standard deviation of the training targets.
    pub y_std: f64,
}

/// Reads `train.csv` and `test.csv` from `dir` and standardizes features and target by the
/// training split's mean and population standard deviation (numpy's `std()`, as the reference
/// script). The CSV reader gives features as f32 (7 significant digits, more than the data's
/// 4 to 5) and the target as f64; everything after that is f64.
pub fn load(dir: &Path) -> Result<Diabetes> {
    let read = |name: &str| {
        CsvReader::new(dir.join(name))
            .header(true)
            .label(TARGET)
            .read::<D<FEATURES>, f64>()
    };
    let (train, test) = (read("train.csv")?, read("test.csv")?);
    if train.feature_names != FEATURE_NAMES {
        return Err(Error::Data {
            path: dir.join("train.csv"),
            problem: format!(
                "expected the columns {FEATURE_NAMES:?}, found {:?}",
                train.feature_names
            ),
        });
    }
    let train_x = train.features.to_kind::<f64>();
    let test_x = test.features.to_kind::<f64>();
    let x_mean = train_x.mean::<0>();
    let x_std = (&train_x - &x_mean).square().mean::<0>().sqrt();
    let standardize = |x: &Inputs| -> Inputs { (x - &x_mean) / &x_std };
    let y = train.labels;
    let y_mean = y.mean_all().item();
    let y_std = (&y - y_mean).square().mean_all().sqrt().item();
    Ok(Diabetes {
        train_x: standardize(&train_x),
        train_y: (&y - y_mean) / y_std,
        test_x: standardize(&test_x),
        test_bmi: test_x.narrow::<1, PLOTTED_FEATURE, 1>().squeeze::<1>(),
        test_y: test.labels,
        y_mean,
        y_std,
    })
}

/// The kernel matrix `s² exp(-½ ‖(a_i - b_j) / ℓ‖²)` between the rows of `a` and of `b`
/// (the white noise is not in it: it belongs to the training matrix's diagonal alone).
pub fn rbf_kernel(hyper: &Hyper, a: &Inputs, b: &Inputs) -> Matrix {
    let lengths = hyper.length_scales();
    let (za, zb) = (a / &lengths, b / &lengths);
    // `|a|² + |b|² - 2 a·b`: one matrix product, twice as fast as the 342 x 342 x 10 tensor of
    // differences (the likelihood and its gradient still agree with scikit-learn's, which uses
    // the exact differences of `cdist`, to 1e-14). Rounding can take a distance that should be 0
    // slightly below it: clamped.
    let (na, nb) = (za.square().sum::<1>(), zb.square().sum::<1>());
    let squared_distances: Matrix = (na.unsqueeze::<1>() + nb.unsqueeze::<0>()
        - za.matmul(&zb.t()) * 2.0)
        .clamp(0.0, f64::INFINITY);
    (squared_distances * -0.5).exp() * hyper.signal_variance()
}

/// A Gaussian process conditioned on training data: the Cholesky factor of `K + σ² I`, the
/// weights `α` of the predictive mean, and the log marginal likelihood (differentiable in the
/// hyper-parameters).
pub struct Posterior {
    /// Lower-triangular `L` with `L Lᵀ = K + σ² I` (plus [`JITTER`]).
    pub factor: Matrix,
    /// `α = (K + σ² I)⁻¹ y`.
    pub alpha: Values,
    /// `log p(y | X, hyper)`.
    pub log_marginal_likelihood: Tensor<(), f64>,
}

/// Conditions the process with `hyper` on the training inputs `x` and targets `y`. A kernel
/// matrix that is not positive-definite (or holds a NaN) is an [`Error::Linalg`] from `chol`.
pub fn posterior(hyper: &Hyper, x: &Inputs, y: &Values) -> Result<Posterior> {
    let n = y.size()[0];
    let noise: Values = Values::ones_dyn(&[n])? * hyper.noise_variance();
    let covariance = sym(&rbf_kernel(hyper, x, x))
        .add_to_diagonal(&noise)
        .add_diagonal(JITTER);
    let factor = covariance.chol()?;
    let alpha = factor.chol_solve(y)?;
    let half_log_det = factor.diagonal().log().sum_all();
    let log_marginal_likelihood =
        y.dot(&alpha) * -0.5 - half_log_det + (-0.5 * n as f64 * (2.0 * std::f64::consts::PI).ln());
    Ok(Posterior {
        factor,
        alpha,
        log_marginal_likelihood,
    })
}

/// `log p(y | X, hyper)` of the standardized training targets: the objective of the fit, with a
/// gradient in `hyper` through autograd.
pub fn log_marginal_likelihood(hyper: &Hyper, x: &Inputs, y: &Values) -> Result<Tensor<(), f64>> {
    Ok(posterior(hyper, x, y)?.log_marginal_likelihood)
}

/// The predictive mean and variance of a new observation (noise included) at each row of
/// `test_x`, in standardized units.
pub fn predict(
    hyper: &Hyper,
    posterior: &Posterior,
    train_x: &Inputs,
    test_x: &Inputs,
) -> Result<(Values, Values)> {
    let cross = rbf_kernel(hyper, test_x, train_x);
    let mean = cross.mv(&posterior.alpha);
    let v = posterior.factor.solve_lower_triangular(&cross.mt())?;
    let prior = hyper.signal_variance() + hyper.noise_variance();
    // At least 0, as scikit-learn's (rounding could take a variance without noise below).
    let variance = (prior - v.square().sum::<0>()).clamp(0.0, f64::INFINITY);
    Ok((mean, variance))
}

/// Loads `sklearn_gpr.json`.
pub fn read_reference(path: &Path) -> Result<SklearnReference> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| Error::Data {
        path: path.to_path_buf(),
        problem: format!("not scikit-learn's GPR figures: {e}"),
    })
}

/// Fits the hyper-parameters by Adam on the log marginal likelihood, predicts the test
/// patients, prints the comparison with scikit-learn (when verbose) and draws the predictions.
pub fn fit(args: &Args) -> Result<Report> {
    let dir = args
        .data
        .clone()
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".typed-torch/diabetes"));
    let data = load(&dir)?;
    let sklearn = read_reference(&dir.join("sklearn_gpr.json"))?;
    let (x, y) = (&data.train_x, &data.train_y);
    if args.verbose {
        println!(
            "diabetes data from {}: {} training and {} test patients, {FEATURES} features",
            dir.display(),
            y.size()[0],
            data.test_y.size()[0]
        );
    }

    let mut hyper = Hyper::initial();
    let lml_start = no_grad(|| log_marginal_likelihood(&hyper, x, y))?.item();
    let mut opt = Adam::new(
        &mut hyper,
        AdamConfig {
            lr: args.lr,
            ..Default::default()
        },
    )?;
    let bar = if args.verbose {
        ProgressBar::new(args.steps as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{prefix:>8} [{bar:30.cyan/blue}] {pos}/{len} {msg} ({elapsed})",
        )
        .expect("a valid template")
        .progress_chars("=> "),
    );
    bar.set_prefix("Adam");
    let started = Instant::now();
    for _ in 0..args.steps {
        opt.zero_grad();
        let lml = log_marginal_likelihood(&hyper, x, y)?;
        (-&lml).backward();
        opt.step(&mut hyper)?;
        bar.set_message(format!("LML {:.4}", lml.item()));
        bar.inc(1);
    }
    let seconds_per_step = started.elapsed().as_secs_f64() / args.steps.max(1) as f64;
    bar.finish_and_clear();

    let (lml, mean, variance) = no_grad(|| -> Result<_> {
        let conditioned = posterior(&hyper, x, y)?;
        let (mean, variance) = predict(&hyper, &conditioned, x, &data.test_x)?;
        Ok((conditioned.log_marginal_likelihood.item(), mean, variance))
    })?;
    // Back to the target's units.
    let mean = mean * data.y_std + data.y_mean;
    let sd = variance.sqrt() * data.y_std;
    let error = &data.test_y - &mean;
    let test_rmse = error.square().mean_all().sqrt().item();
    let log_density =
        (&sd * &sd * (2.0 * std::f64::consts::PI)).log() * -0.5 - (&error / &sd).square() * 0.5;
    let test_mlpd = log_density.mean_all().item();

    let length_scales: [f64; FEATURES] = hyper
        .length_scales()
        .to_vec()
        .try_into()
        .expect("one length-scale per feature");
    let report = Report {
        lml_start,
        lml,
        test_rmse,
        test_mlpd,
        signal_variance: hyper.signal_variance().item(),
        length_scales,
        noise_variance: hyper.noise_variance().item(),
        seconds_per_step,
        sklearn,
        picture: args.out.join("gaussian_process").join("predictions.png"),
    };
    if args.verbose {
        print_table(&report, args.steps);
    }
    draw(
        &report.picture,
        &data.test_bmi.to_vec(),
        &data.test_y.to_vec(),
        &mean.to_vec(),
        &sd.to_vec(),
    )?;
    Ok(report)
}

/// Ours beside scikit-learn's.
fn print_table(r: &Report, steps: usize) {
    let s = &r.sklearn;
    println!(
        "{:<28} {:>14} {:>14}",
        "",
        format!("Adam, {steps} steps"),
        format!("sklearn {}", s.sklearn_version)
    );
    let row = |name: &str, ours: f64, theirs: f64| {
        println!("{name:<28} {ours:>14.4} {theirs:>14.4}");
    };
    row("log marginal likelihood", r.lml, s.log_marginal_likelihood);
    row("test RMSE", r.test_rmse, s.test_rmse);
    row("test MLPD", r.test_mlpd, s.test_mlpd);
    row("signal variance", r.signal_variance, s.signal_variance);
    row("noise variance", r.noise_variance, s.noise_variance);
    for (i, name) in FEATURE_NAMES.iter().enumerate() {
        let theirs = s.length_scales.get(i).copied().unwrap_or(f64::NAN);
        row(&format!("length-scale {name}"), r.length_scales[i], theirs);
    }
    println!(
        "{:.2} ms per step; log marginal likelihood at the start {:.4}",
        1e3 * r.seconds_per_step,
        r.lml_start
    );
}

/// Draws the test patients sorted by body mass index: their true progression as dots, the
/// predictive mean as a square with a ±2 sd bar.
fn draw(path: &Path, bmi: &[f64], truth: &[f64], mean: &[f64], sd: &[f64]) -> Result<()> {
    let failed = |e: String| Error::Data {
        path: path.to_path_buf(),
        problem: format!("drawing the predictions failed: {e}"),
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let mut order: Vec<usize> = (0..bmi.len()).collect();
    order.sort_by(|&i, &j| bmi[i].total_cmp(&bmi[j]));
    let (x_lo, x_hi) = bounds(bmi.iter().copied());
    let (y_lo, y_hi) = bounds(
        order
            .iter()
            .flat_map(|&i| [truth[i], mean[i] - 2.0 * sd[i], mean[i] + 2.0 * sd[i]]),
    );
    let x_pad = 0.03 * (x_hi - x_lo);
    let y_pad = 0.05 * (y_hi - y_lo);
    let text = typed_torch::train::font_available();
    let root = BitMapBackend::new(path, (1100, 650)).into_drawing_area();
    let result = (|| -> std::result::Result<(), Box<dyn std::error::Error + '_>> {
        root.fill(&WHITE)?;
        let mut builder = ChartBuilder::on(&root);
        builder.margin(15);
        if text {
            builder
                .caption(
                    "Gaussian process: test patients, predictive mean ± 2 sd",
                    ("sans-serif", 24),
                )
                .x_label_area_size(45)
                .y_label_area_size(65);
        }
        let mut chart = builder.build_cartesian_2d(
            (x_lo - x_pad)..(x_hi + x_pad),
            (y_lo - y_pad)..(y_hi + y_pad),
        )?;
        if text {
            chart
                .configure_mesh()
                .x_desc("body mass index (kg/m²)")
                .y_desc("disease progression after one year")
                .light_line_style(WHITE)
                .draw()?;
        }
        let band = RGBColor(70, 110, 200);
        let truth_color = RGBColor(200, 60, 40);
        chart
            .draw_series(order.iter().map(|&i| {
                PathElement::new(
                    vec![
                        (bmi[i], mean[i] - 2.0 * sd[i]),
                        (bmi[i], mean[i] + 2.0 * sd[i]),
                    ],
                    band.mix(0.45).stroke_width(2),
                )
            }))?
            .label("predictive mean ± 2 sd")
            .legend(move |(x, y)| Rectangle::new([(x, y - 4), (x + 8, y + 4)], band.filled()));
        chart.draw_series(order.iter().map(|&i| {
            EmptyElement::at((bmi[i], mean[i])) + Rectangle::new([(-3, -3), (3, 3)], band.filled())
        }))?;
        chart
            .draw_series(
                order
                    .iter()
                    .map(|&i| Circle::new((bmi[i], truth[i]), 4, truth_color.filled())),
            )?
            .label("true progression")
            .legend(move |(x, y)| Circle::new((x + 4, y), 4, truth_color.filled()));
        if text {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperLeft)
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK)
                .label_font(("sans-serif", 16))
                .draw()?;
        }
        root.present()?;
        Ok(())
    })();
    result.map_err(|e| failed(e.to_string()))
}

/// The smallest and largest of `values`.
fn bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    })
}
