//! MNIST from the standard four IDX files in a directory (plain or `.gz`).
use super::idx::{read_idx, IdxArray};
use crate::dims::{Dyn, D};
use crate::error::{Error, Result};
use crate::tensor::Tensor;
use std::path::{Path, PathBuf};

/// MNIST images (`u8`, `(N, 1, 28, 28)`) and labels (`i64`, `(N,)`), train and test.
#[derive(Debug)]
pub struct Mnist {
    /// Training images.
    pub train_images: Tensor<(Dyn, D<1>, D<28>, D<28>), u8>,
    /// Training labels, 0 to 9.
    pub train_labels: Tensor<(Dyn,), i64>,
    /// Test images.
    pub test_images: Tensor<(Dyn, D<1>, D<28>, D<28>), u8>,
    /// Test labels, 0 to 9.
    pub test_labels: Tensor<(Dyn,), i64>,
}

impl Mnist {
    /// Reads `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte` and
    /// `t10k-labels-idx1-ubyte` (each plain or `.gz`) from `dir`: full MNIST, or the 5,000-digit
    /// sample `scripts/setup.sh` prepares in `.typed-torch/mnist`. Errors name the file and what is
    /// wrong with it.
    pub fn load(dir: impl AsRef<Path>) -> Result<Mnist> {
        let dir = dir.as_ref();
        let (train_images, train_labels) = split(dir, "train")?;
        let (test_images, test_labels) = split(dir, "t10k")?;
        Ok(Mnist {
            train_images,
            train_labels,
            test_images,
            test_labels,
        })
    }
}

type Split = (Tensor<(Dyn, D<1>, D<28>, D<28>), u8>, Tensor<(Dyn,), i64>);

fn split(dir: &Path, prefix: &str) -> Result<Split> {
    let images_path = find(dir, &format!("{prefix}-images-idx3-ubyte"))?;
    let labels_path = find(dir, &format!("{prefix}-labels-idx1-ubyte"))?;
    let images = read_idx(&images_path)?;
    let labels = read_idx(&labels_path)?;
    let bad = |path: &Path, problem: String| Error::Data {
        path: path.to_path_buf(),
        problem,
    };
    if images.dims.len() != 3 || images.dims[1..] != [28, 28] {
        return Err(bad(
            &images_path,
            format!("dims {:?}: expected [N, 28, 28] images", images.dims),
        ));
    }
    if labels.dims.len() != 1 {
        return Err(bad(
            &labels_path,
            format!("dims {:?}: expected [N] labels", labels.dims),
        ));
    }
    if labels.dims[0] != images.dims[0] {
        return Err(bad(
            &labels_path,
            format!(
                "{} labels for {} images in {}",
                labels.dims[0],
                images.dims[0],
                images_path.display()
            ),
        ));
    }
    if let Some(pos) = labels.data.iter().position(|&l| l > 9) {
        return Err(bad(
            &labels_path,
            format!("label {} at index {pos}: expected 0 to 9", labels.data[pos]),
        ));
    }
    let n = images.dims[0];
    Ok((to_images(images, n)?, to_labels(labels, n)?))
}

fn to_images(images: IdxArray, n: usize) -> Result<Tensor<(Dyn, D<1>, D<28>, D<28>), u8>> {
    Tensor::from_slice_dyn(&images.data, &[n])
}

fn to_labels(labels: IdxArray, n: usize) -> Result<Tensor<(Dyn,), i64>> {
    let values: Vec<i64> = labels.data.iter().map(|&l| i64::from(l)).collect();
    Tensor::from_slice_dyn(&values, &[n])
}

/// `name` or `name.gz` in `dir`.
fn find(dir: &Path, name: &str) -> Result<PathBuf> {
    let plain = dir.join(name);
    let gz = dir.join(format!("{name}.gz"));
    if plain.is_file() {
        Ok(plain)
    } else if gz.is_file() {
        Ok(gz)
    } else {
        Err(Error::Data {
            path: plain,
            problem: format!("missing (neither it nor {name}.gz exists)"),
        })
    }
}
