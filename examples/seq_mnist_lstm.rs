//! Sequential MNIST: an LSTM reads each of the set-up's real MNIST digits row by row (28 steps of
//! 28 pixels) and classifies it from its last output; trained with Adam on the 4,000 training
//! digits, tested on the 1,000 held out.
//!
//! `cargo run --release --example seq_mnist_lstm -- --help`
mod common;

use clap::Parser;
use typed_torch::nn::Params;
use typed_torch::optim::{Adam, AdamConfig, CosineAnnealingLR, LrScheduler};
use typed_torch::prelude::*;
use typed_torch::train::{ClassifierTrainer, RunOptions};
use typed_torch_models::row_lstm::RowLstm;

/// Train an LSTM on MNIST digits read row by row.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// Directory with the four MNIST IDX files (plain or .gz); default: the set-up's sample.
    #[arg(long)]
    data: Option<std::path::PathBuf>,
    /// Passes over the training set.
    #[arg(long, default_value_t = 8)]
    epochs: usize,
    /// Sequences per batch.
    #[arg(long, default_value_t = 32)]
    batch_size: usize,
    /// Peak learning rate (annealed to 0 along a cosine over the run).
    #[arg(long, default_value_t = 2e-3)]
    lr: f64,
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
    let dir = common::data_dir(args.data.clone());
    let (train, test) = common::loaders(&dir, args.batch_size, args.seed, 0)?;
    let mut model = RowLstm::<f32, Cpu>::init()?;
    println!("row-by-row LSTM, {} parameters", model.param_count());
    let config = AdamConfig {
        lr: args.lr,
        ..Default::default()
    };
    let mut opt = Adam::new(&mut model, config)?;
    let total_steps = args.epochs * train.len();
    let mut scheduler = LrScheduler::new(&mut opt, CosineAnnealingLR::new(total_steps))?;
    let options = RunOptions {
        out_dir: args.out.clone(),
        ..Default::default()
    };
    ClassifierTrainer::new("seq_mnist_lstm", &mut model, &mut opt, options)?
        .schedule(&mut scheduler)
        .fit(&train, &test, args.epochs)?;
    Ok(())
}
