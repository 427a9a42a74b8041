//! Online learning: the README's 784-300-100-10 MLP sees the MNIST training digits one at a time
//! (batch 1, plain SGD) through the compiled training step, `typed_torch::compiled::TrainStep`.
//! The first pass is also run eagerly (forward, `cross_entropy`, `backward`, `step`) from the
//! same weights in the same order: the example prints both times per step and how far apart the
//! two models end. Loss and accuracy every 1,000 steps go to `runs/online_mnist.png`.
//!
//! `cargo run --release --example online_mnist -- --help`
use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use typed_torch::compiled::TrainStep;
use typed_torch::data::Mnist;
use typed_torch::loss::{cross_entropy, Mean};
use typed_torch::nn::{Init, Module, Params, Sigmoid};
use typed_torch::optim::{Optimizer, Sgd, SgdConfig};
use typed_torch::train::{plot_history, EpochMetrics, EpochRecord, History};
use typed_torch::{Dyn, Error, Result, Tensor, D};
use typed_torch_models::mlp::Mlp;

type Images = Tensor<(Dyn, D<1>, D<28>, D<28>)>;
type Labels = Tensor<(Dyn,), i64>;

/// Train the MLP online (batch 1) with the compiled step, against the eager step.
#[derive(Parser, Debug)]
#[command(version)]
pub struct Args {
    /// Directory with the four MNIST IDX files (plain or .gz); default: the set-up's sample.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Passes over the training digits (each in a new random order).
    #[arg(long, default_value_t = 3)]
    pub passes: usize,
    /// Digits per pass (default: all).
    #[arg(long)]
    pub digits: Option<i64>,
    /// SGD learning rate.
    #[arg(long, default_value_t = 0.05)]
    pub lr: f64,
    /// Seed for the initial weights and the order.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Where the curve goes.
    #[arg(long, default_value = "runs")]
    pub out: PathBuf,
}

/// What a run measured.
#[derive(Debug)]
pub struct Report {
    /// Test accuracy before training and after each pass.
    pub accuracy: Vec<f64>,
    /// Microseconds per step of the compiled and the eager first pass.
    pub compiled_us: f64,
    /// See `compiled_us`.
    pub eager_us: f64,
    /// Largest weight difference between the compiled and the eager model after the first pass.
    pub weight_gap: f64,
}

fn main() -> Result<()> {
    let report = run(&Args::parse())?;
    println!("{report:#?}");
    Ok(())
}

/// Pixels in [0, 1], normalised with MNIST's mean and standard deviation.
fn normalised(images: &Tensor<(Dyn, D<1>, D<28>, D<28>), u8>) -> Images {
    (images.to_kind::<f32>() / 255.0 - 0.1307) / 0.3081
}

/// Mean loss and accuracy on a whole set, without gradients.
fn evaluate(model: &Mlp, images: &Images, labels: &Labels) -> EpochMetrics {
    let start = Instant::now();
    typed_torch::no_grad(|| {
        let logits = model.forward(images.clone());
        let loss = cross_entropy(&logits, labels, Mean).item() as f64;
        let right = logits.argmax::<1>().as_tch().eq_tensor(labels.as_tch());
        EpochMetrics {
            loss,
            accuracy: right
                .to_kind(tch::Kind::Double)
                .mean(None)
                .double_value(&[]),
            samples: labels.size()[0],
            seconds: start.elapsed().as_secs_f64(),
        }
    })
}

fn model(seed: u64) -> Result<Mlp> {
    tch::manual_seed(seed as i64);
    Mlp::<Sigmoid>::init()
}

/// The digits of one pass: `count` indices in a random order drawn from `seed`.
fn order(count: i64, total: i64, seed: u64) -> Vec<i64> {
    tch::manual_seed(seed as i64);
    let perm = tch::Tensor::randperm(total, tch::kind::INT64_CPU);
    Vec::<i64>::try_from(perm.narrow(0, 0, count)).expect("indices")
}

fn sample(images: &Images, labels: &Labels, i: i64) -> Result<(Images, Labels)> {
    Ok((
        Images::from_tch(images.as_tch().narrow(0, i, 1))?,
        Labels::from_tch(labels.as_tch().narrow(0, i, 1))?,
    ))
}

fn bar(steps: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(steps).with_message(what.to_string());
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {per_sec} {prefix}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar
}

/// Trains as the command line says; see the crate docs.
pub fn run(args: &Args) -> Result<Report> {
    let dir = args.data.clone().unwrap_or_else(|| {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.typed-torch/mnist"))
    });
    let mnist = Mnist::load(&dir)?;
    let (train, test) = (
        normalised(&mnist.train_images),
        normalised(&mnist.test_images),
    );
    let total = train.size()[0] as i64;
    let count = args.digits.unwrap_or(total).min(total);
    let config = SgdConfig {
        lr: args.lr,
        ..Default::default()
    };
    let mut compiled = model(args.seed)?;
    let mut eager = model(args.seed)?;
    let mut opt = Sgd::new(&mut compiled, config)?;
    let mut eager_opt = Sgd::new(&mut eager, config)?;
    let mut accuracy = vec![evaluate(&compiled, &test, &mnist.test_labels).accuracy];
    println!(
        "784-300-100-10 MLP, {} training digits one at a time, lr {}; untrained: {:.1}% of {} test digits",
        count,
        args.lr,
        100.0 * accuracy[0],
        test.size()[0]
    );

    // The first pass eagerly, for the comparison.
    let first = order(count, total, args.seed);
    let progress = bar(count as u64, "eager    pass 1");
    let start = Instant::now();
    for &i in &first {
        let (x, y) = sample(&train, &mnist.train_labels, i)?;
        eager_opt.zero_grad();
        let loss = cross_entropy(&eager.forward(x), &y, Mean);
        loss.backward();
        eager_opt.step(&mut eager)?;
        progress.inc(1);
    }
    let eager_us = start.elapsed().as_secs_f64() / count as f64 * 1e6;
    progress.finish_and_clear();

    let mut step = TrainStep::new();
    let mut history = History::default();
    let (mut compiled_us, mut first_gap) = (0.0, 0.0);
    // A fixed 1,000 training digits, evaluated with the test digits for the curves.
    let seen_images = Images::from_tch(train.as_tch().narrow(0, 0, 1000.min(total)))?;
    let seen_labels = Labels::from_tch(mnist.train_labels.as_tch().narrow(0, 0, 1000.min(total)))?;
    for pass in 0..args.passes {
        let indices = if pass == 0 {
            first.clone()
        } else {
            order(count, total, args.seed + pass as u64)
        };
        let progress = bar(count as u64, &format!("compiled pass {}", pass + 1));
        let (mut loss_sum, mut seen, mut pass_seconds) = (0.0, 0usize, 0.0);
        for (k, &i) in indices.iter().enumerate() {
            let (x, y) = sample(&train, &mnist.train_labels, i)?;
            let start = Instant::now();
            loss_sum += step.run(&mut compiled, &mut opt, &x, &y)?;
            pass_seconds += start.elapsed().as_secs_f64();
            seen += 1;
            progress.inc(1);
            if (k + 1) % 1000 == 0 || k + 1 == indices.len() {
                let test_metrics = evaluate(&compiled, &test, &mnist.test_labels);
                progress.set_prefix(format!(
                    "online loss {:.3}, test {:.1}%",
                    loss_sum / seen as f64,
                    100.0 * test_metrics.accuracy
                ));
                history.push(EpochRecord {
                    epoch: history.epochs.len() + 1,
                    train: evaluate(&compiled, &seen_images, &seen_labels),
                    test: test_metrics,
                });
                (loss_sum, seen) = (0.0, 0);
            }
        }
        progress.finish_and_clear();
        accuracy.push(evaluate(&compiled, &test, &mnist.test_labels).accuracy);
        println!(
            "pass {}: {:.1}% of the test digits",
            pass + 1,
            100.0 * accuracy[pass + 1]
        );
        if pass == 0 {
            compiled_us = pass_seconds / count as f64 * 1e6;
            first_gap = weight_gap(&compiled, &eager);
            println!(
                "first pass: compiled {compiled_us:.0} µs a step, eager {eager_us:.0} µs ({:.2}x); \
                 eager model {:.1}% of the test digits, weights {first_gap:.1e} apart",
                eager_us / compiled_us,
                100.0 * evaluate(&eager, &test, &mnist.test_labels).accuracy
            );
        }
    }
    std::fs::create_dir_all(&args.out).map_err(|source| Error::Io {
        path: args.out.clone(),
        source,
    })?;
    let (png, _) = plot_history(
        &history,
        &args.out.join("online_mnist"),
        "online MNIST MLP (1,000 training and all test digits, every 1,000 steps)",
    )?;
    println!("curves: {}", png.display());
    Ok(Report {
        accuracy,
        compiled_us,
        eager_us,
        weight_gap: first_gap,
    })
}

/// The largest difference between the two models' weights.
fn weight_gap(a: &Mlp, b: &Mlp) -> f64 {
    let mut theirs = Vec::new();
    b.for_each_param(|_, p| theirs.push(p.shallow_clone()));
    let mut gap = 0.0f64;
    let mut i = 0;
    a.for_each_param(|_, p| {
        gap = gap.max((p - &theirs[i]).abs().max().double_value(&[]));
        i += 1;
    });
    gap
}
