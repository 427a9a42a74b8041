//! What both MNIST examples share: reading the digits into loaders. The training loop is the
//! library's `typed_torch::train::ClassifierTrainer`.
use std::path::{Path, PathBuf};

use typed_torch::data::{DataLoader, Mnist, Normalize, RandomCrop, TensorDataset};
use typed_torch::{Dyn, Result, Tensor, D};

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
