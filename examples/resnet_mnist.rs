//! The zoo's small ResNet (torchvision's basic blocks, 16-32-64 channels) trained with Adam on the
//! 4,000 real MNIST training digits the set-up prepares, with random shifts of up to 2 pixels,
//! tested on the 1,000 held out: curves, the confusion matrix and per-class precision and recall.
//!
//! `cargo run --release --example resnet_mnist -- --help`
mod common;

use clap::Parser;
use typed_torch::nn::Params;
use typed_torch::optim::{Adam, AdamConfig, CosineAnnealingLR, LrScheduler};
use typed_torch::prelude::*;
use typed_torch::train::{ClassifierTrainer, EpochMetrics, RunOptions};
use typed_torch_models::vision::resnet::SmallResNet;

/// Train the zoo's small ResNet on MNIST with Adam.
#[derive(Parser, Debug, Clone)]
#[command(version)]
pub struct Args {
    /// Directory with the four MNIST IDX files (plain or .gz); default: the set-up's sample.
    #[arg(long)]
    pub data: Option<std::path::PathBuf>,
    /// Passes over the training set.
    #[arg(long, default_value_t = 15)]
    pub epochs: usize,
    /// Samples per batch.
    #[arg(long, default_value_t = 32)]
    pub batch_size: usize,
    /// Peak learning rate (annealed to 0 along a cosine over the run).
    #[arg(long, default_value_t = 2e-3)]
    pub lr: f64,
    /// Decoupled weight decay (AdamW's).
    #[arg(long, default_value_t = 1e-4)]
    pub weight_decay: f64,
    /// Random shifts of up to this many pixels for training digits (0: none).
    #[arg(long, default_value_t = 2)]
    pub crop_padding: usize,
    /// Seed for the initial weights and the shuffling.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Where the curves, the confusion matrix and the checkpoint go.
    #[arg(long, default_value = "runs")]
    pub out: std::path::PathBuf,
    /// Print progress (the tests turn it off).
    #[arg(skip = true)]
    pub verbose: bool,
}

/// The digits' names, for the confusion matrix.
const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/// Trains the model and returns the last epoch's test metrics and the confusion matrix.
pub fn train(
    args: &Args,
) -> typed_torch::Result<(EpochMetrics, typed_torch::train::ConfusionMatrix)> {
    tch::manual_seed(args.seed as i64);
    let dir = common::data_dir(args.data.clone());
    let (train, test) = common::loaders(&dir, args.batch_size, args.seed, args.crop_padding)?;
    let mut model = SmallResNet::<10>::init()?;
    if args.verbose {
        println!("small ResNet, {} parameters", model.param_count());
    }
    let config = AdamConfig {
        lr: args.lr,
        weight_decay: args.weight_decay,
        decoupled_weight_decay: true,
        ..Default::default()
    };
    let mut opt = Adam::new(&mut model, config)?;
    let total_steps = args.epochs * train.len();
    let mut scheduler = LrScheduler::new(&mut opt, CosineAnnealingLR::new(total_steps))?;
    let options = RunOptions {
        out_dir: args.out.clone(),
        verbose: args.verbose,
    };
    let mut trainer = ClassifierTrainer::new("resnet_mnist", &mut model, &mut opt, options)?
        .schedule(&mut scheduler)
        .class_names(&DIGITS);
    let last = trainer.fit(&train, &test, args.epochs)?;
    let confusion = trainer.confusion().cloned().expect("a test pass ran");
    Ok((last, confusion))
}

fn main() -> typed_torch::Result<()> {
    let args = Args::parse();
    train(&args)?;
    Ok(())
}
