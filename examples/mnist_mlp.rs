//! The 784-300-100-10 network from the README of Haskell's `backprop` library, trained with SGD on
//! the 4,000 real MNIST training digits the set-up prepares, and tested on the 1,000 held out.
//!
//! `cargo run --release --example mnist_mlp -- --help`
mod common;

use clap::Parser;
use typed_torch::nn::{Params, ReLU, Sigmoid};
use typed_torch::optim::{LrScheduler, Sgd, SgdConfig, StepLR};
use typed_torch::prelude::*;
use typed_torch::train::{ClassifierTrainer, RunOptions};
use typed_torch_models::mlp::Mlp;

/// Train the 784-300-100-10 MLP on MNIST with SGD.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// Directory with the four MNIST IDX files (plain or .gz); default: the set-up's sample.
    #[arg(long)]
    data: Option<std::path::PathBuf>,
    /// Passes over the training set.
    #[arg(long, default_value_t = 20)]
    epochs: usize,
    /// Samples per batch.
    #[arg(long, default_value_t = 32)]
    batch_size: usize,
    /// Learning rate (divided by 10 every 8 epochs).
    #[arg(long, default_value_t = 0.05)]
    lr: f64,
    /// SGD momentum.
    #[arg(long, default_value_t = 0.9)]
    momentum: f64,
    /// Hidden-layer activation: `logistic` (as in backprop's README) or `relu`.
    #[arg(long, default_value = "logistic", value_parser = ["logistic", "relu"])]
    activation: String,
    /// Seed for the initial weights and the shuffling.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Where the curves and the checkpoint go.
    #[arg(long, default_value = "runs")]
    out: std::path::PathBuf,
}

fn main() -> typed_torch::Result<()> {
    let args = Args::parse();
    tch::manual_seed(args.seed as i64);
    let (train, test) = common::loaders(
        &common::data_dir(args.data.clone()),
        args.batch_size,
        args.seed,
        0,
    )?;
    match args.activation.as_str() {
        "relu" => run(Mlp::<ReLU>::init()?, &args, &train, &test),
        _ => run(Mlp::<Sigmoid>::init()?, &args, &train, &test),
    }
}

fn run<A>(
    mut model: Mlp<A>,
    args: &Args,
    train: &common::Train,
    test: &common::Train,
) -> typed_torch::Result<()>
where
    Mlp<A>: Module<Tensor<(Dyn, D<1>, D<28>, D<28>)>, Output = Tensor<(Dyn, D<10>)>> + Params,
{
    println!("784-300-100-10 MLP, {} parameters", model.param_count());
    let config = SgdConfig {
        lr: args.lr,
        momentum: args.momentum,
        ..Default::default()
    };
    let mut opt = Sgd::new(&mut model, config)?;
    let step_size = 8 * train.len();
    let mut scheduler = LrScheduler::new(
        &mut opt,
        StepLR {
            step_size,
            gamma: 0.1,
        },
    )?;
    let options = RunOptions {
        out_dir: args.out.clone(),
        ..Default::default()
    };
    ClassifierTrainer::new("mnist_mlp", &mut model, &mut opt, options)?
        .schedule(&mut scheduler)
        .fit(train, test, args.epochs)?;
    Ok(())
}
