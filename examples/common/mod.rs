//! What both MNIST examples share: reading the digits into loaders, and the training loop.
use std::path::{Path, PathBuf};
use std::time::Instant;

use typed_torch::data::{DataLoader, Mnist, Normalize, RandomCrop, TensorDataset};
use typed_torch::loss::{self, Mean};
use typed_torch::nn::{Module, Params};
use typed_torch::optim::{LrScheduler, Optimizer, Schedule};
use typed_torch::train::{correct, EpochMetrics, Run, RunOptions};
use typed_torch::{no_grad, Dyn, Result, Tensor, D};

/// A batch of digits, and the logits a classifier makes of it.
pub type Images = Tensor<(Dyn, D<1>, D<28>, D<28>)>;
pub type Logits = Tensor<(Dyn, D<10>)>;
/// A loader of normalised digits and their labels.
pub type Train = DataLoader<Digits>;
type Digits = TensorDataset<(Dyn, D<1>, D<28>, D<28>), f32, (Dyn,), i64>;

/// The MNIST directory: `--data`, else the sample set-up prepared in this checkout.
pub fn data_dir(arg: Option<PathBuf>) -> PathBuf {
    arg.unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".typed-torch/mnist"))
}

/// Training and test loaders: pixels scaled to [0, 1] and normalised with MNIST's mean and
/// standard deviation; the training set is reshuffled every epoch from `seed`, and with
/// `crop_padding > 0` each training digit is shifted by up to that many pixels (random crop).
pub fn loaders(
    dir: &Path,
    batch_size: usize,
    seed: u64,
    crop_padding: usize,
) -> Result<(Train, Train)> {
    let mnist = Mnist::load(dir)?;
    println!(
        "MNIST from {}: {} training and {} test digits",
        dir.display(),
        mnist.train_labels.size()[0],
        mnist.test_labels.size()[0]
    );
    let scaled = |images: &Tensor<(Dyn, D<1>, D<28>, D<28>), u8>| images.to_kind::<f32>() / 255.0;
    let normalize = || Normalize::<1>::new([0.1307], [0.3081]);
    let train = TensorDataset::new(scaled(&mnist.train_images), mnist.train_labels)?;
    let test = TensorDataset::new(scaled(&mnist.test_images), mnist.test_labels)?;
    let train = DataLoader::new(train, batch_size)?.shuffle(true).seed(seed);
    let train = if crop_padding > 0 {
        train.transform((RandomCrop::new(crop_padding), normalize()?))
    } else {
        train.transform(normalize()?)
    }
    .prefetch(2);
    let test = DataLoader::new(test, 1000)?.transform(normalize()?);
    Ok((train, test))
}

/// Trains `model` for `epochs` epochs, stepping the learning-rate schedule after every batch,
/// and evaluates it on the test set after each epoch. The run prints a line per epoch and
/// writes curves and a checkpoint under `out_dir`. Returns the last test metrics.
#[allow(clippy::too_many_arguments)]
pub fn fit<M, O, S>(
    name: &str,
    model: &mut M,
    opt: &mut O,
    scheduler: &mut LrScheduler<S>,
    train: &Train,
    test: &Train,
    epochs: usize,
    out_dir: PathBuf,
) -> Result<EpochMetrics>
where
    M: Module<Images, Output = Logits> + Params,
    O: Optimizer<M>,
    S: Schedule,
{
    let started = Instant::now();
    let mut run = Run::new(
        name,
        RunOptions {
            out_dir,
            ..Default::default()
        },
    )?;
    let mut last = EpochMetrics::default();
    for epoch in 1..=epochs {
        model.set_train(true);
        let mut meter = run.phase("train", epoch, train.len());
        for batch in train.epoch(epoch as u64) {
            let (images, labels) = batch?.into_parts();
            let logits = model.forward(images);
            let loss = loss::cross_entropy(&logits, &labels, Mean);
            opt.zero_grad();
            loss.backward();
            opt.step(model)?;
            scheduler.step(opt)?;
            meter.update(
                f64::from(loss.item()),
                correct(&logits, &labels),
                labels.size()[0] as usize,
            );
        }
        let train_metrics = meter.finish();

        model.set_train(false);
        let mut meter = run.phase("test", epoch, test.len());
        no_grad(|| -> Result<()> {
            for batch in test.epoch(0) {
                let (images, labels) = batch?.into_parts();
                let logits = model.forward(images);
                let loss = loss::cross_entropy(&logits, &labels, Mean);
                meter.update(
                    f64::from(loss.item()),
                    correct(&logits, &labels),
                    labels.size()[0] as usize,
                );
            }
            Ok(())
        })?;
        last = meter.finish();
        run.end_epoch(epoch, train_metrics, last, model)?;
    }
    let (png, svg) = run.plot_paths();
    println!(
        "{name}: test accuracy {:.2}% after {epochs} epochs, wall time {:.1}s",
        100.0 * last.accuracy,
        started.elapsed().as_secs_f64()
    );
    println!(
        "curves:     {}\n            {}",
        png.display(),
        svg.display()
    );
    println!("checkpoint: {}", run.checkpoint_path().display());
    Ok(last)
}
