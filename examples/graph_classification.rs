//! Graph classification on real digits: each of the set-up's MNIST digits becomes a graph, as in
//! the MNISTSuperpixels benchmark (a node per inked 2x2 patch with its position and brightness,
//! edges from its 8 nearest patches), and a graph isomorphism network (GIN) classifies the
//! graphs, trained with Adam on the 4,000 training digits and tested on the 1,000 held out.
//! The pixels' grid is gone: the network sees only points and their neighbourhoods.
//!
//! `cargo run --release --example graph_classification -- --help`
use std::path::PathBuf;

use clap::Parser;
use typed_torch::data::Mnist;
use typed_torch::graph::{image_graphs, Graph, GraphLoader, ImageGraphConfig};
use typed_torch::loss::{cross_entropy, Mean};
use typed_torch::nn::Params;
use typed_torch::optim::{Adam, AdamConfig, CosineAnnealingLR, LrScheduler, Optimizer};
use typed_torch::prelude::*;
use typed_torch::train::{correct, ConfusionMatrix, EpochMetrics, Run, RunOptions};
use typed_torch::{Error, Result};
use typed_torch_models::digit_gin::DigitGin;

/// Classify MNIST digits drawn as graphs with a GIN.
#[derive(Parser, Debug, Clone)]
#[command(version)]
pub struct Args {
    /// Directory with the four MNIST IDX files (plain or .gz); default: the set-up's sample.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Passes over the training graphs.
    #[arg(long, default_value_t = 30)]
    pub epochs: usize,
    /// Graphs per batch.
    #[arg(long, default_value_t = 32)]
    pub batch_size: usize,
    /// Peak learning rate (annealed to 0 along a cosine over the run).
    #[arg(long, default_value_t = 5e-3)]
    pub lr: f64,
    /// Train on the first N training digits only (0: all).
    #[arg(long, default_value_t = 0)]
    pub max_train: usize,
    /// Seed for the initial weights and the shuffling.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Where the curves and the checkpoint go.
    #[arg(long, default_value = "runs")]
    pub out: PathBuf,
    /// Print progress (the tests turn it off).
    #[arg(skip = true)]
    pub verbose: bool,
}

/// The digits' names, for the confusion matrix.
const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

fn main() -> Result<()> {
    let args = Args::parse();
    let test = train(&args)?;
    println!(
        "test accuracy of the GIN on digit graphs: {:.1}% (loss {:.4})",
        100.0 * test.accuracy,
        test.loss
    );
    Ok(())
}

/// Builds the graphs, trains, and returns the last epoch's test metrics.
pub fn train(args: &Args) -> Result<EpochMetrics> {
    let dir = args
        .data
        .clone()
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".typed-torch/mnist"));
    let mnist = Mnist::load(&dir)?;
    let config = ImageGraphConfig::default();
    let mut train_graphs = image_graphs(&mnist.train_images, &mnist.train_labels, config)?;
    let test_graphs = image_graphs(&mnist.test_images, &mnist.test_labels, config)?;
    if args.max_train > 0 {
        train_graphs.truncate(args.max_train);
    }
    if train_graphs.is_empty() {
        return Err(Error::Invalid("no training digits".into()));
    }
    if args.verbose {
        let nodes: usize = train_graphs.iter().map(Graph::num_nodes).sum();
        let edges: usize = train_graphs.iter().map(Graph::num_edges).sum();
        println!(
            "MNIST from {}: {} training and {} test digits as graphs, {:.1} nodes and {:.1} edges each on average",
            dir.display(),
            train_graphs.len(),
            test_graphs.len(),
            nodes as f64 / train_graphs.len() as f64,
            edges as f64 / train_graphs.len() as f64
        );
    }
    tch::manual_seed(args.seed as i64);
    let mut model = DigitGin::<f32, Cpu>::init()?;
    if args.verbose {
        println!("GIN, {} parameters", model.param_count());
    }
    let train_loader = GraphLoader::new(&train_graphs, args.batch_size)?
        .shuffle(true)
        .seed(args.seed);
    let test_loader = GraphLoader::new(&test_graphs, 250)?;
    let mut opt = Adam::new(
        &mut model,
        AdamConfig {
            lr: args.lr,
            ..Default::default()
        },
    )?;
    let mut scheduler = LrScheduler::new(
        &mut opt,
        CosineAnnealingLR::new(args.epochs * train_loader.len()),
    )?;
    let options = RunOptions {
        out_dir: args.out.clone(),
        verbose: args.verbose,
    };
    let mut run = Run::new("graph_classification", options)?;
    let mut last = EpochMetrics::default();
    let mut confusion = ConfusionMatrix::new(10);
    for epoch in 1..=args.epochs {
        model.set_train(true);
        let mut meter = run.phase("train", epoch, train_loader.len());
        for batch in train_loader.epoch(epoch as u64) {
            let batch = batch?;
            let y = batch
                .labels()
                .expect("every digit graph has its label")
                .clone();
            let logits = model.forward(&batch);
            let loss = cross_entropy(&logits, &y, Mean);
            opt.zero_grad();
            loss.backward();
            opt.step(&mut model)?;
            scheduler.step(&mut opt)?;
            meter.update(loss.item().into(), correct(&logits, &y), y.size()[0]);
        }
        let train = meter.finish();
        model.set_train(false);
        let mut meter = run.phase("test", epoch, test_loader.len());
        confusion = ConfusionMatrix::new(10);
        no_grad(|| -> Result<()> {
            for batch in test_loader.epoch(0) {
                let batch = batch?;
                let y = batch
                    .labels()
                    .expect("every digit graph has its label")
                    .clone();
                let logits = model.forward(&batch);
                let loss = cross_entropy(&logits, &y, Mean);
                meter.update(loss.item().into(), correct(&logits, &y), y.size()[0]);
                confusion.update(&logits, &y)?;
            }
            Ok(())
        })?;
        last = meter.finish();
        run.end_epoch(epoch, train, last, &model)?;
    }
    // Which digits the graphs are confused with, after the last epoch.
    let path = args.out.join("graph_classification_confusion.png");
    confusion.save_png(&path, &DIGITS, "GIN on digit graphs: test set")?;
    if args.verbose {
        println!("{}", confusion.report(&DIGITS));
        println!("confusion matrix: {}", path.display());
    }
    Ok(last)
}
