//! A variational autoencoder of handwritten digits, trained with Adam on the set-up's 4,000 real
//! MNIST training digits and evaluated on the 1,000 held out: the ELBO (nats per image) of both
//! each epoch, a PNG grid of test digits over their reconstructions and one of new digits decoded
//! from the prior every epoch, and with `--latent 2` a scatter of the test digits' latent means
//! coloured by class (several digits gather in regions of their own though the model never saw a
//! label).
//!
//! `cargo run --release --example vae_mnist -- --help`
use std::path::PathBuf;

use clap::Parser;
use typed_torch::data::{DataLoader, Dataset, Mnist, TensorDataset};
use typed_torch::distributions::{Distribution, Normal};
use typed_torch::nn::Params;
use typed_torch::optim::{Adam, AdamConfig, Optimizer};
use typed_torch::prelude::*;
use typed_torch::train::{
    plot_embedding_frames, save_image_grid, EmbeddingFrame, EmbeddingStyle, EpochMetrics, Run,
    RunOptions,
};
use typed_torch::{Error, Result};
use typed_torch_models::vae::{Vae, PIXELS};

/// Train a VAE on MNIST digits.
#[derive(Parser, Debug, Clone)]
#[command(version)]
pub struct Args {
    /// Directory with the four MNIST IDX files (plain or .gz); default: the set-up's sample.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Latent dims: 2 (drawn as a scatter), 8, 16 or 32.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(2..=32))]
    pub latent: u16,
    /// Passes over the training digits.
    #[arg(long, default_value_t = 30)]
    pub epochs: usize,
    /// Digits per batch.
    #[arg(long, default_value_t = 64)]
    pub batch_size: usize,
    /// Adam's learning rate.
    #[arg(long, default_value_t = 1e-3)]
    pub lr: f64,
    /// Seed for the initial weights, the shuffling and the draws.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Where the curves, the pictures and the checkpoint go.
    #[arg(long, default_value = "runs")]
    pub out: PathBuf,
    /// Print progress (the tests turn it off).
    #[arg(skip = true)]
    pub verbose: bool,
}

/// What a run measured and wrote.
#[derive(Debug, Clone)]
pub struct Report {
    /// Test ELBO (nats per image) of the untrained model.
    pub untrained_test_elbo: f64,
    /// Test ELBO after the last epoch.
    pub test_elbo: f64,
    /// Training ELBO over the last epoch.
    pub train_elbo: f64,
    /// The pictures of the last epoch (reconstructions, samples, and the latent scatter with
    /// `--latent 2`).
    pub pictures: Vec<PathBuf>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let report = train(&args)?;
    println!(
        "test ELBO {:.1} nats per image (untrained: {:.1}); pictures: {}",
        report.test_elbo,
        report.untrained_test_elbo,
        report
            .pictures
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}

/// Flattened digits with intensities in [0, 1], and their classes (for the scatter only).
type Digits = TensorDataset<(Dyn, D<PIXELS>), f32, (Dyn,), i64>;

/// Trains the VAE of `args.latent` dims.
pub fn train(args: &Args) -> Result<Report> {
    match args.latent {
        2 => run::<2>(args),
        8 => run::<8>(args),
        16 => run::<16>(args),
        32 => run::<32>(args),
        n => Err(Error::Invalid(format!(
            "--latent takes 2, 8, 16 or 32, found {n}"
        ))),
    }
}

fn run<const Z: usize>(args: &Args) -> Result<Report> {
    tch::manual_seed(args.seed as i64);
    let dir = args.data.clone().unwrap_or_else(|| {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".typed-torch/mnist")
    });
    let mnist = Mnist::load(&dir)?;
    let flat = |images: &Tensor<(Dyn, D<1>, D<28>, D<28>), u8>| -> Tensor<(Dyn, D<PIXELS>)> {
        (images.to_kind::<f32>() / 255.0).flatten::<1, 3>()
    };
    let train_set = Digits::new(flat(&mnist.train_images), mnist.train_labels)?;
    let test_images = flat(&mnist.test_images);
    let test_labels = mnist.test_labels;
    let loader = DataLoader::new(train_set, args.batch_size)?
        .shuffle(true)
        .seed(args.seed);

    let mut model = Vae::<Z>::init()?;
    let mut opt = Adam::new(
        &mut model,
        AdamConfig {
            lr: args.lr,
            ..Default::default()
        },
    )?;
    if args.verbose {
        println!(
            "VAE with {Z} latent dims, {} parameters; MNIST from {}: {} training and {} test digits",
            model.param_count(),
            dir.display(),
            loader.dataset().len(),
            test_images.size()[0]
        );
    }
    let options = RunOptions {
        out_dir: args.out.clone(),
        verbose: args.verbose,
    };
    let mut run = Run::new(&format!("vae_mnist_z{Z}"), options)?.loss_only("-ELBO (nats)");
    // The same prior draws every epoch, so the sample grids show one set of digits forming.
    let prior_draws = Normal::<(D<64>, D<Z>)>::standard().sample();
    let untrained_test_elbo = -evaluate(&model, &test_images, &run, 0).loss;
    let mut frames = Vec::new();
    let mut pictures = Vec::new();
    let (mut train, mut test) = (EpochMetrics::default(), EpochMetrics::default());
    for epoch in 1..=args.epochs {
        let mut meter = run.phase("train", epoch, loader.len());
        for batch in loader.epoch(epoch as u64) {
            let (x, _) = batch?.into_parts();
            let loss = -model.elbo(&x).mean_all();
            opt.zero_grad();
            loss.backward();
            opt.step(&mut model)?;
            meter.update(f64::from(loss.item()), 0, x.size()[0]);
        }
        train = meter.finish();
        test = evaluate(&model, &test_images, &run, epoch);
        run.end_epoch(epoch, train, test, &model)?;
        pictures = draw(&model, &test_images, &prior_draws, &run, epoch)?;
        if Z == 2 && (epoch == 1 || epoch == args.epochs || epoch.is_power_of_two()) {
            frames.push(latent_means(&model, &test_images, epoch)?);
        }
    }
    if !frames.is_empty() {
        let classes: Vec<usize> = test_labels.to_vec().iter().map(|&c| c as usize).collect();
        let names = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
        let style = EmbeddingStyle {
            classes: &classes,
            class_names: &names,
            point_radius: 2,
            ..Default::default()
        };
        let stem = run.out_dir().join(format!("{}_latent", run.name()));
        let title = "latent means of the test digits, coloured by class";
        let (png, _) = plot_embedding_frames(&frames, &style, title, &stem)?;
        pictures.push(png);
    }
    Ok(Report {
        untrained_test_elbo,
        test_elbo: -test.loss,
        train_elbo: -train.loss,
        pictures,
    })
}

/// The negative ELBO on the test digits, in batches of 500, one draw of `z` per digit.
fn evaluate<const Z: usize>(
    model: &Vae<Z>,
    images: &Tensor<(Dyn, D<PIXELS>)>,
    run: &Run,
    epoch: usize,
) -> EpochMetrics {
    let n = images.size()[0];
    let chunk = 500;
    let mut meter = run.phase("test", epoch, n.div_ceil(chunk));
    no_grad(|| {
        for start in (0..n).step_by(chunk) {
            let len = chunk.min(n - start);
            let x = images.narrow_dyn::<0>(start, len).unwrap();
            let loss = -model.elbo(&x).mean_all();
            meter.update(f64::from(loss.item()), 0, len);
        }
    });
    meter.finish()
}

/// This epoch's pictures: 32 test digits over their reconstructions, and 64 digits decoded from
/// the fixed prior draws.
fn draw<const Z: usize>(
    model: &Vae<Z>,
    images: &Tensor<(Dyn, D<PIXELS>)>,
    prior_draws: &Tensor<(D<64>, D<Z>)>,
    run: &Run,
    epoch: usize,
) -> Result<Vec<PathBuf>> {
    let as_images = |x: Tensor<(Dyn, D<PIXELS>)>| -> Result<Tensor<(Dyn, D<1>, D<28>, D<28>)>> {
        x.try_reshape()
    };
    let (originals, reconstructions, samples) = no_grad(|| -> Result<_> {
        let originals = images.narrow_dyn::<0>(0, 32)?;
        let reconstructions = model.reconstruct(&originals);
        let samples = model
            .decode(prior_draws.clone())
            .to_shape::<(Dyn, D<PIXELS>)>()?;
        Ok((originals, reconstructions, samples))
    })?;
    // Rows of 8: four rows of originals, each followed by its reconstructions.
    let both = originals.cat::<0>(&reconstructions);
    let order: Vec<i64> = (0..4)
        .flat_map(|r| (8 * r..8 * r + 8).chain(32 + 8 * r..32 + 8 * r + 8))
        .collect();
    let comparison = both.index_select::<0>(&Tensor::from_slice_dyn(&order, &[64])?);
    let dir = run.out_dir();
    let reconstruction_png = dir.join(format!(
        "{}_reconstructions_epoch{epoch:03}.png",
        run.name()
    ));
    let samples_png = dir.join(format!("{}_samples_epoch{epoch:03}.png", run.name()));
    save_image_grid(&as_images(comparison)?, 8, &reconstruction_png)?;
    save_image_grid(&as_images(samples)?, 8, &samples_png)?;
    Ok(vec![reconstruction_png, samples_png])
}

/// The test digits' posterior means, one point per digit.
fn latent_means<const Z: usize>(
    model: &Vae<Z>,
    images: &Tensor<(Dyn, D<PIXELS>)>,
    epoch: usize,
) -> Result<EmbeddingFrame> {
    let means = no_grad(|| model.posterior(images).base().mean());
    let values = means.to_vec();
    Ok(EmbeddingFrame {
        title: format!("epoch {epoch}"),
        points: values
            .chunks(Z)
            .map(|p| [p[0] as f64, p[1] as f64])
            .collect(),
    })
}
