//! Classifies a photograph with the zoo's ResNet-18 and ImageNet weights brought over from
//! PyTorch: torchvision's evaluation preset (resize to 256, centre crop 224, ImageNet
//! normalisation) in typed transforms, the top classes with their probabilities, and a Grad-CAM
//! picture of where the top class was seen.
//!
//! Pretrained weights cannot be downloaded here; write them once from Python:
//!
//! ```text
//! python -c "import torchvision, safetensors.torch as st; st.save_file(torchvision.models.resnet18(weights='IMAGENET1K_V1').state_dict(), 'resnet18.safetensors')"
//! cargo run --release --example classify_image -- --weights resnet18.safetensors --image photo.jpg
//! ```
use std::path::{Path, PathBuf};

use clap::Parser;
use typed_torch::data::{DataRng, SeedableRng};
use typed_torch::interpret::{grad_cam, heatmap_overlay};
use typed_torch::nn::Params;
use typed_torch::prelude::*;
use typed_torch::vision::{
    imagenet_eval, read_rgb, save_png, CenterCrop, Image, ImageTransform, Resize,
};
use typed_torch::Error;
use typed_torch_models::vision::resnet::ResNet18;

/// Classify a photograph with ResNet-18 and your own pretrained weights.
#[derive(Parser, Debug, Clone)]
#[command(version)]
pub struct Args {
    /// torchvision's `resnet18` state_dict as safetensors (see the example's docs for the command).
    #[arg(long)]
    pub weights: PathBuf,
    /// A PNG or JPEG photograph; default: scikit-learn's `china.jpg` from the set-up.
    #[arg(long)]
    pub image: Option<PathBuf>,
    /// The class names, one per line in class order; default: ImageNet's, from the set-up.
    #[arg(long)]
    pub labels: Option<PathBuf>,
    /// How many classes to list.
    #[arg(long, default_value_t = 5)]
    pub top: usize,
    /// Where the Grad-CAM picture of the top class goes.
    #[arg(long, default_value = "runs/classify_image_cam.png")]
    pub cam: PathBuf,
}

/// One class of the ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// Its index.
    pub class: usize,
    /// Its name.
    pub label: String,
    /// The softmax of the logits.
    pub probability: f64,
    /// The logit.
    pub logit: f64,
}

/// A photograph after torchvision's evaluation preset, as the model takes it.
pub type Input = Tensor<(D<3>, D<224>, D<224>)>;

/// `image` after the preset: resize to 256, centre crop 224, scale to [0, 1], normalise.
pub fn preprocess(image: Image<3>) -> typed_torch::Result<Input> {
    // The preset draws nothing; the generator is only its interface.
    imagenet_eval::<256, 224>().apply(image, &mut DataRng::seed_from_u64(0))
}

/// The model's logits for one preprocessed image.
pub fn logits(model: &ResNet18, x: &Input) -> Tensor<(D<1>, D<1000>)> {
    no_grad(|| model.forward(x.unsqueeze::<0>().to_shape().expect("a 4-d batch of one")))
}

/// The `top` classes by probability.
pub fn rank(logits: &Tensor<(D<1>, D<1000>)>, labels: &[String], top: usize) -> Vec<Prediction> {
    let values = logits.to_vec();
    let probabilities = logits.softmax::<1>().to_vec();
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
    order
        .into_iter()
        .take(top)
        .map(|class| Prediction {
            class,
            label: labels[class].clone(),
            probability: probabilities[class] as f64,
            logit: values[class] as f64,
        })
        .collect()
}

/// Reads the class names: one per line, 1,000 of them.
pub fn read_labels(path: &Path) -> typed_torch::Result<Vec<String>> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let labels: Vec<String> = text.lines().map(str::to_owned).collect();
    if labels.len() != 1000 {
        return Err(Error::Data {
            path: path.to_path_buf(),
            problem: format!(
                "expected 1000 class names, one per line; found {}",
                labels.len()
            ),
        });
    }
    Ok(labels)
}

/// Loads the weights strictly: every name and shape of torchvision's `resnet18`.
pub fn load_model(weights: &Path) -> typed_torch::Result<ResNet18> {
    let mut model = ResNet18::<1000>::init()?;
    typed_torch::checkpoint::load(&mut model, weights)?;
    model.set_train(false);
    Ok(model)
}

/// Classifies the photograph and draws the Grad-CAM picture of the top class.
pub fn run(args: &Args) -> typed_torch::Result<Vec<Prediction>> {
    let set_up = Path::new(env!("CARGO_MANIFEST_DIR")).join(".typed-torch/images");
    let image_path = args.image.clone().unwrap_or(set_up.join("china.jpg"));
    let labels = read_labels(
        &args
            .labels
            .clone()
            .unwrap_or(set_up.join("imagenet_classes.txt")),
    )?;
    let model = load_model(&args.weights)?;
    let photo = read_rgb(&image_path)?;
    let x = preprocess(photo.share())?;
    let ranking = rank(&logits(&model, &x), &labels, args.top.max(1));

    // Grad-CAM at layer4 (7 x 7 for 224 x 224), over the crop the model saw.
    let batch: Tensor<(D<1>, D<3>, Dyn, Dyn)> = x.unsqueeze::<0>().to_shape()?;
    let cam = grad_cam(
        |x| model.features(x),
        |h| model.head(h),
        &batch,
        &[ranking[0].class],
    )?;
    let crop: Image<3, D<224>, D<224>> =
        (Resize::<256>::new(), CenterCrop::new()).apply(photo, &mut DataRng::seed_from_u64(0))?;
    let heat = Tensor::<(Dyn, Dyn)>::from_tch(cam.relu().as_tch().get(0).get(0))?;
    let picture = heatmap_overlay(&crop, &heat, 0.5)?;
    if let Some(dir) = args.cam.parent() {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    save_png(&picture, &args.cam)?;
    Ok(ranking)
}

fn main() -> typed_torch::Result<()> {
    let args = Args::parse();
    let ranking = run(&args)?;
    for p in &ranking {
        println!("{:6.2}%  {:4}  {}", 100.0 * p.probability, p.class, p.label);
    }
    println!("Grad-CAM of '{}': {}", ranking[0].label, args.cam.display());
    Ok(())
}
