//! `mnist_cnn`'s LeNet trained data-parallel: each process trains on its shard of every batch
//! and DDP averages the gradients, so two processes of 16 digits per step take the steps one
//! process of 32 would.
//!
//! Under the launcher (any number of processes, any machines):
//! `typed-torch-run --nproc-per-node 2 -- target/release/examples/mnist_ddp`
//!
//! Or started directly, when it launches itself the same way:
//! `cargo run --release -p typed-torch-distributed --example mnist_ddp -- --nproc-per-node 2`
use std::path::{Path, PathBuf};

use clap::Parser;
use typed_torch::data::{DataLoader, Mnist, Normalize, RandomCrop, TensorDataset};
use typed_torch::nn::Params;
use typed_torch::optim::{Adam, AdamConfig, CosineAnnealingLR, LrScheduler, Optimizer};
use typed_torch::prelude::*;
use typed_torch::train::{correct, EpochMetrics, Run, RunOptions};
use typed_torch::{loss, Dyn, Tensor, D};
use typed_torch_distributed::{DistributedDataParallel, ProcessGroup, ReduceOp};
use typed_torch_models::lenet::LeNet;

/// Train `mnist_cnn`'s LeNet on MNIST with data-parallel processes.
#[derive(Parser, Debug, Clone)]
#[command(version)]
pub struct Args {
    /// Processes to start when not already under a launcher (ignored under one).
    #[arg(long, default_value_t = 2)]
    nproc_per_node: usize,
    /// Directory with the four MNIST IDX files; default: the set-up's sample.
    #[arg(long)]
    data: Option<PathBuf>,
    /// Passes over the training set.
    #[arg(long, default_value_t = 12)]
    epochs: usize,
    /// Samples per step over all processes (each takes its share).
    #[arg(long, default_value_t = 32)]
    batch_size: usize,
    /// Peak learning rate (annealed to 0 along a cosine over the run).
    #[arg(long, default_value_t = 2e-3)]
    lr: f64,
    /// Random shifts of up to this many pixels for training digits (0: none).
    #[arg(long, default_value_t = 2)]
    crop_padding: usize,
    /// Seed for the initial weights and the shuffling (the same on every process).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Where rank 0 writes the curves and the checkpoint.
    #[arg(long, default_value = "runs")]
    out: PathBuf,
}

type Images = Tensor<(Dyn, D<1>, D<28>, D<28>)>;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    if std::env::var_os("RANK").is_none() {
        // Not under a launcher: become one, running this same program once per rank.
        let config =
            typed_torch_run::LaunchConfig::new(args.nproc_per_node, std::env::current_exe()?)
                .with_args(std::env::args_os().skip(1))
                .with_master("127.0.0.1", 0);
        let outcome = typed_torch_run::launch(&config)?;
        std::process::exit(outcome.code());
    }
    train(&args)
}

/// One rank's training: joins the group the environment describes and trains its shard.
pub fn train(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let group = ProcessGroup::from_env()?;
    let world = group.world_size();
    if !args.batch_size.is_multiple_of(world) {
        return Err(format!(
            "--batch-size {} does not split over {world} processes",
            args.batch_size
        )
        .into());
    }
    let dir = args
        .data
        .clone()
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../.typed-torch/mnist"));
    let mnist = Mnist::load(&dir)?;
    let scaled = |images: &Tensor<(Dyn, D<1>, D<28>, D<28>), u8>| images.to_kind::<f32>() / 255.0;
    let normalize = || Normalize::<1>::new([0.1307], [0.3081]);
    let train_set = TensorDataset::new(scaled(&mnist.train_images), mnist.train_labels)?;
    let test_set = TensorDataset::new(scaled(&mnist.test_images), mnist.test_labels)?;
    // Each rank's shard of a fresh shuffle every epoch; the seed is shared, so shards are disjoint.
    let train = DataLoader::new(train_set, args.batch_size / world)?
        .sampler(group.sampler().shuffle(true).seed(args.seed))
        .seed(args.seed + group.rank() as u64)
        .transform((RandomCrop::new(args.crop_padding), normalize()?))
        .prefetch(2);
    let test = DataLoader::new(test_set, 500)?
        .sampler(group.sampler())
        .transform(normalize()?);

    tch::manual_seed(args.seed as i64 + group.rank() as i64); // DDP copies rank 0's weights
    let mut ddp = DistributedDataParallel::new(&group, LeNet::init()?)?;
    let mut opt = Adam::new(
        ddp.module_mut(),
        AdamConfig {
            lr: args.lr,
            ..Default::default()
        },
    )?;
    let mut scheduler =
        LrScheduler::new(&mut opt, CosineAnnealingLR::new(args.epochs * train.len()))?;
    let mut run = if group.is_main() {
        println!(
            "LeNet-style CNN, {} parameters, on {world} processes of {} digits per step ({} in all)",
            ddp.module().param_count(),
            args.batch_size / world,
            args.batch_size
        );
        Some(Run::new(
            "mnist_ddp",
            RunOptions {
                out_dir: args.out.clone(),
                ..Default::default()
            },
        )?)
    } else {
        None
    };

    for epoch in 1..=args.epochs {
        ddp.module_mut().set_train(true);
        let mut meter = run.as_ref().map(|r| r.phase("train", epoch, train.len()));
        let mut totals = Totals::default();
        let started = std::time::Instant::now();
        for batch in train.epoch(epoch as u64) {
            let batch = batch?;
            opt.zero_grad();
            let logits = ddp.forward(batch.inputs)?;
            let l = loss::cross_entropy(&logits, &batch.targets, loss::Mean);
            ddp.backward(&l)?;
            opt.step(ddp.module_mut())?;
            scheduler.step(&mut opt)?;
            let (mean, hits, n) = (
                l.item() as f64,
                correct(&logits, &batch.targets),
                batch.targets.size()[0],
            );
            totals.add(mean, hits, n);
            if let Some(m) = meter.as_mut() {
                m.update(mean, hits, n);
            }
        }
        let train_metrics = totals.over(&group, started)?;
        meter.map(|m| m.finish());

        ddp.module_mut().set_train(false);
        let mut totals = Totals::default();
        let started = std::time::Instant::now();
        typed_torch::no_grad(|| -> Result<(), Box<dyn std::error::Error>> {
            for batch in test.epoch(0) {
                let batch = batch?;
                let logits: Tensor<(Dyn, D<10>)> = ddp.module().forward(batch.inputs as Images);
                let l = loss::cross_entropy(&logits, &batch.targets, loss::Mean);
                totals.add(
                    l.item() as f64,
                    correct(&logits, &batch.targets),
                    batch.targets.size()[0],
                );
            }
            Ok(())
        })?;
        let test_metrics = totals.over(&group, started)?;
        if let Some(run) = run.as_mut() {
            run.end_epoch(epoch, train_metrics, test_metrics, ddp.module())?;
        }
    }
    group.barrier()?;
    if let Some(run) = &run {
        let last = run.history().last().expect("at least one epoch");
        println!(
            "test accuracy {:.2}% after {} epochs on {world} processes, {:.1} s; curves {}",
            100.0 * last.test.accuracy,
            args.epochs,
            run.elapsed_seconds(),
            run.plot_paths().0.display()
        );
    }
    Ok(())
}

/// A phase's loss sum, hits and samples on this rank, summed over the ranks at the end.
#[derive(Default)]
struct Totals {
    loss_sum: f64,
    correct: usize,
    samples: usize,
}

impl Totals {
    fn add(&mut self, mean_loss: f64, correct: usize, samples: usize) {
        self.loss_sum += mean_loss * samples as f64;
        self.correct += correct;
        self.samples += samples;
    }

    fn over(
        &self,
        group: &ProcessGroup,
        started: std::time::Instant,
    ) -> Result<EpochMetrics, Box<dyn std::error::Error>> {
        let mut t = Tensor::<(D<3>,), f64>::from_array([
            self.loss_sum,
            self.correct as f64,
            self.samples as f64,
        ]);
        group.all_reduce(&mut t, ReduceOp::Sum)?;
        let [loss_sum, hits, n] = <[f64; 3]>::try_from(t.to_vec()).expect("three values");
        Ok(EpochMetrics {
            loss: loss_sum / n.max(1.0),
            accuracy: hits / n.max(1.0),
            samples: n as usize,
            seconds: started.elapsed().as_secs_f64(),
        })
    }
}
