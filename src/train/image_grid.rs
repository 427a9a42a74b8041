//! Batches of images as one PNG grid (the `plot` feature): samples and reconstructions are
//! pictures people would rather see than read.
use std::path::Path;

use crate::device::Device;
use crate::dims::Dim;
use crate::element::Float;
use crate::error::{Error, Result};
use crate::tensor::Tensor;

/// The gap between tiles, in pixels (torchvision's `make_grid` default).
const GAP: i64 = 2;

/// Writes `images` `(N, C, H, W)` as one PNG: `columns` images per row, 2-pixel black gaps, as
/// torchvision's `save_image(make_grid(images, nrow=columns))`. `C` is 1 (grey) or 3 (RGB);
/// values are intensities in [0, 1] (clamped).
///
/// ```no_run
/// use typed_torch::train::save_image_grid;
/// use typed_torch::{Tensor, D};
/// let digits = Tensor::<(D<16>, D<1>, D<28>, D<28>)>::rand();
/// save_image_grid(&digits, 4, std::path::Path::new("digits.png"))?;
/// # Ok::<(), typed_torch::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Invalid`] for a channel count other than 1 or 3, no images or no columns;
/// [`Error::Data`] when the file cannot be written.
pub fn save_image_grid<B: Dim, C: Dim, H: Dim, W: Dim, E: Float, Dev: Device>(
    images: &Tensor<(B, C, H, W), E, Dev>,
    columns: usize,
    path: &Path,
) -> Result<()> {
    let x = images.as_tch().detach().to_device(tch::Device::Cpu);
    let (n, c, h, w) = x.size4()?;
    if c != 1 && c != 3 {
        return Err(Error::Invalid(format!(
            "an image grid takes 1 (grey) or 3 (RGB) channels, found {c}"
        )));
    }
    if n == 0 || columns == 0 {
        return Err(Error::Invalid(format!(
            "an image grid needs images and columns, found {n} images in {columns} columns"
        )));
    }
    let columns = (columns as i64).min(n);
    let rows = (n + columns - 1) / columns;
    let (height, width) = (rows * (h + GAP) + GAP, columns * (w + GAP) + GAP);
    let bytes = (x.clamp(0.0, 1.0) * 255.0)
        .round()
        .to_kind(tch::Kind::Uint8)
        .expand([n, 3, h, w], false);
    let grid = tch::Tensor::zeros([3, height, width], (tch::Kind::Uint8, tch::Device::Cpu));
    for i in 0..n {
        let (top, left) = (
            GAP + (i / columns) * (h + GAP),
            GAP + (i % columns) * (w + GAP),
        );
        grid.narrow(1, top, h)
            .narrow(2, left, w)
            .copy_(&bytes.get(i));
    }
    let pixels: Vec<u8> = Vec::try_from(grid.permute([1, 2, 0]).contiguous().view(-1))?;
    let picture = image::RgbImage::from_raw(width as u32, height as u32, pixels)
        .expect("the buffer holds height x width x 3 bytes");
    picture.save(path).map_err(|e| Error::Data {
        path: path.to_path_buf(),
        problem: format!("writing the image grid failed: {e}"),
    })
}
