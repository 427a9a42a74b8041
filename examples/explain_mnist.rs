//! What the LeNet looks at: trains it on the set-up's MNIST digits (or loads a checkpoint of it,
//! such as the one `mnist_cnn` writes), then, for the first test digit of each class, draws three
//! attributions of the predicted class's score over the digit: saliency, integrated gradients
//! (from a black image) and Grad-CAM at the second convolution's ReLU. Also writes the confusion
//! matrix and per-class precision and recall of the test set.
//!
//! `cargo run --release --example explain_mnist -- --help`
mod common;

use std::path::{Path, PathBuf};

use clap::Parser;
use plotters::element::BitMapElement;
use plotters::prelude::*;
use typed_torch::data::Mnist;
use typed_torch::interpret::{grad_cam, heatmap_overlay, saliency, IntegratedGradients};
use typed_torch::nn::{Params, Summary};
use typed_torch::optim::{Adam, AdamConfig, CosineAnnealingLR, LrScheduler};
use typed_torch::prelude::*;
use typed_torch::train::{font_available, ClassifierTrainer, ConfusionMatrix, RunOptions};
use typed_torch::vision::{resize, Image, Interpolation};
use typed_torch::Error;
use typed_torch_models::lenet::LeNet;

/// Explain a LeNet's MNIST predictions with saliency, integrated gradients and Grad-CAM.
#[derive(Parser, Debug, Clone)]
#[command(version)]
pub struct Args {
    /// Directory with the four MNIST IDX files (plain or .gz); default: the set-up's sample.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// A LeNet checkpoint to explain instead of training one (`mnist_cnn` writes
    /// `runs/mnist_cnn.safetensors`).
    #[arg(long)]
    pub checkpoint: Option<PathBuf>,
    /// Passes over the training set when training.
    #[arg(long, default_value_t = 8)]
    pub epochs: usize,
    /// Samples per batch.
    #[arg(long, default_value_t = 32)]
    pub batch_size: usize,
    /// Peak learning rate (annealed to 0 along a cosine over the run).
    #[arg(long, default_value_t = 2e-3)]
    pub lr: f64,
    /// Points along the path of integrated gradients.
    #[arg(long, default_value_t = 50)]
    pub steps: usize,
    /// Seed for the initial weights and the shuffling.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Where the picture, the curves, the confusion matrix and the checkpoint go.
    #[arg(long, default_value = "runs")]
    pub out: PathBuf,
    /// Print progress (the tests turn it off).
    #[arg(skip = true)]
    pub verbose: bool,
}

/// One digit `(1, 1, 28, 28)`, normalised as the model sees it.
pub type Digit = Tensor<(D<1>, D<1>, D<28>, D<28>)>;

/// The three attributions of one test digit.
pub struct Explanation {
    /// Its label.
    pub label: usize,
    /// The model's class for it, whose score is explained.
    pub predicted: usize,
    /// The normalised input.
    pub input: Digit,
    /// `|d score / d pixel|`.
    pub saliency: Digit,
    /// Integrated gradients from a black digit.
    pub integrated_gradients: Digit,
    /// How far the integrated gradients' sum is from the score's change (completeness).
    pub delta: f64,
    /// Grad-CAM at the second convolution's ReLU, 10 x 10.
    pub grad_cam: Tensor<(D<1>, D<1>, D<10>, D<10>)>,
}

/// What a run produced.
pub struct Report {
    /// The explained model, in evaluation mode.
    pub model: LeNet,
    /// The test set's confusion matrix (after training, or of the loaded checkpoint).
    pub confusion: ConfusionMatrix,
    /// One explanation per class, in class order.
    pub explanations: Vec<Explanation>,
    /// The picture of all of them.
    pub picture: PathBuf,
}

const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
/// MNIST's pixel statistics, as `common::loaders` normalises.
const MEAN: f64 = 0.1307;
const STD: f64 = 0.3081;

/// The LeNet up to the ReLU after its second convolution: Grad-CAM's stage, 16 x 10 x 10.
pub fn conv_stage(net: &LeNet, x: Digit) -> Tensor<(D<1>, D<16>, D<10>, D<10>)> {
    let h = net.head.forward(x); // conv 1
    let h = net.tail.head.forward(h); // ReLU
    let h = net.tail.tail.head.forward(h); // pool
    let h = net.tail.tail.tail.head.forward(h); // conv 2
    net.tail.tail.tail.tail.head.forward(h) // ReLU
}

/// The rest of the LeNet: pooling, flattening and the three linear layers.
pub fn classifier(net: &LeNet, a: Tensor<(D<1>, D<16>, D<10>, D<10>)>) -> Tensor<(D<1>, D<10>)> {
    net.tail.tail.tail.tail.tail.forward(a)
}

/// Trains (or loads) the model, explains one test digit per class and draws the picture.
pub fn run(args: &Args) -> typed_torch::Result<Report> {
    tch::manual_seed(args.seed as i64);
    let dir = common::data_dir(args.data.clone());
    let (train, test) = common::loaders(&dir, args.batch_size, args.seed, 2)?;
    let mut model = LeNet::init()?;
    let options = RunOptions {
        out_dir: args.out.clone(),
        verbose: args.verbose,
    };
    let confusion = match &args.checkpoint {
        Some(path) => {
            typed_torch::checkpoint::load(&mut model, path)?;
            model.set_train(false);
            let mut confusion = ConfusionMatrix::new(10);
            for batch in test.epoch(0) {
                let batch = batch?;
                confusion.update(&no_grad(|| model.forward(batch.inputs)), &batch.targets)?;
            }
            confusion
        }
        None => {
            let mut opt = Adam::new(
                &mut model,
                AdamConfig {
                    lr: args.lr,
                    ..Default::default()
                },
            )?;
            let steps = args.epochs * train.len();
            let mut scheduler = LrScheduler::new(&mut opt, CosineAnnealingLR::new(steps))?;
            let mut trainer =
                ClassifierTrainer::new("explain_mnist", &mut model, &mut opt, options)?
                    .schedule(&mut scheduler)
                    .class_names(&DIGITS);
            trainer.fit(&train, &test, args.epochs)?;
            trainer.confusion().cloned().expect("a test pass ran")
        }
    };
    if args.verbose {
        println!("{}", confusion.report(&DIGITS));
    }
    model.set_train(false);

    let mnist = Mnist::load(&dir)?;
    let labels = mnist.test_labels.to_vec();
    let black = Digit::full((-MEAN / STD) as f32);
    let mut explanations = Vec::new();
    for class in 0..10 {
        let index = labels
            .iter()
            .position(|&l| l == class as i64)
            .ok_or_else(|| {
                Error::Invalid(format!("the test set has no digit {class} to explain"))
            })?;
        let pixels = mnist.test_images.as_tch().narrow(0, index as i64, 1);
        let input = Digit::from_tch((pixels.to_kind(tch::Kind::Float) / 255.0 - MEAN) / STD)?;
        let scores = no_grad(|| model.forward(input.share()));
        let predicted = scores.argmax::<1>().to_vec()[0] as usize;
        let classify = |x: Digit| model.forward(x);
        let ig = IntegratedGradients {
            steps: args.steps,
            ..Default::default()
        }
        .attribute(classify, &input, &black, &[predicted])?;
        explanations.push(Explanation {
            label: class,
            predicted,
            saliency: saliency(classify, &input, &[predicted])?,
            integrated_gradients: ig.attributions,
            delta: ig.delta[0],
            grad_cam: grad_cam(
                |x| conv_stage(&model, x),
                |a| classifier(&model, a),
                &input,
                &[predicted],
            )?,
            input,
        });
    }
    std::fs::create_dir_all(&args.out).map_err(|source| Error::Io {
        path: args.out.clone(),
        source,
    })?;
    let picture = args.out.join("explain_mnist.png");
    draw(&explanations, &picture)?;
    // The model's picture, from its types.
    Summary::<Digit>::summary(&model).save_svg(args.out.join("explain_mnist_model.svg"))?;
    Ok(Report {
        model,
        confusion,
        explanations,
        picture,
    })
}

/// Pixels per digit in the picture (4x MNIST's 28).
const CELL: u32 = 112;
const GAP: u32 = 6;
const HEADER: u32 = 26;
/// How much of each attribution cell is the map's colour (the rest is the digit).
const OPACITY: f64 = 0.6;

/// One row per digit: the digit, then its saliency, integrated gradients (absolute) and Grad-CAM
/// (positive part), each over the digit.
fn draw(explanations: &[Explanation], path: &Path) -> typed_torch::Result<()> {
    let titles = ["digit", "saliency", "int. gradients", "Grad-CAM"];
    let width = titles.len() as u32 * (CELL + GAP) + GAP;
    let height = HEADER + explanations.len() as u32 * (CELL + GAP);
    let failed = |e: String| Error::Data {
        path: path.to_path_buf(),
        problem: format!("could not draw the attributions: {e}"),
    };
    let root = BitMapBackend::new(path, (width, height)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| failed(e.to_string()))?;
    let column = |i: usize| GAP + i as u32 * (CELL + GAP);
    if font_available() {
        for (i, title) in titles.iter().enumerate() {
            let style = ("sans-serif", 15).into_font().color(&BLACK);
            root.draw_text(title, &style, (column(i) as i32, 5))
                .map_err(|e| failed(e.to_string()))?;
        }
    }
    for (row, e) in explanations.iter().enumerate() {
        let pixels = (e.input.as_tch().get(0) * STD + MEAN) * 255.0;
        let digit =
            Image::<1>::from_tch(pixels.round().clamp(0.0, 255.0).to_kind(tch::Kind::Uint8))?;
        let digit = resize(&digit, CELL as usize, CELL as usize, Interpolation::Nearest)?;
        let as_map = |t: &tch::Tensor| Tensor::<(Dyn, Dyn)>::from_tch(t.get(0).get(0));
        let cells = [
            heatmap_overlay(&digit, &Tensor::<(Dyn, Dyn)>::zeros_dyn(&[1, 1])?, 0.0)?,
            heatmap_overlay(&digit, &as_map(e.saliency.as_tch())?, OPACITY)?,
            heatmap_overlay(
                &digit,
                &as_map(&e.integrated_gradients.as_tch().abs())?,
                OPACITY,
            )?,
            heatmap_overlay(&digit, &as_map(&e.grad_cam.as_tch().relu())?, OPACITY)?,
        ];
        let top = HEADER + row as u32 * (CELL + GAP);
        for (i, cell) in cells.iter().enumerate() {
            let rgb = Vec::<u8>::try_from(cell.as_tch().permute([1, 2, 0]).contiguous().view(-1))?;
            let element: BitMapElement<(i32, i32)> =
                BitMapElement::with_owned_buffer((column(i) as i32, top as i32), (CELL, CELL), rgb)
                    .expect("the buffer holds CELL x CELL x 3 bytes");
            root.draw(&element).map_err(|e| failed(e.to_string()))?;
        }
    }
    root.present().map_err(|e| failed(e.to_string()))
}

fn main() -> typed_torch::Result<()> {
    let args = Args::parse();
    let report = run(&args)?;
    println!("test accuracy {:.2}%", 100.0 * report.confusion.accuracy());
    for e in &report.explanations {
        println!(
            "digit {}: predicted {}, integrated gradients' completeness gap {:.2e}",
            e.label, e.predicted, e.delta
        );
    }
    println!("attributions: {}", report.picture.display());
    Ok(())
}
