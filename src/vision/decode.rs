//! PNG and JPEG files to `u8` tensors, and tensors back to PNG files (the image crate).
use super::{Image, ImageTransform};
use crate::error::{Error, Result};
use crate::tensor::Tensor;
use rand::SeedableRng;
use std::path::Path;

/// Reads a PNG or JPEG file (any colour type) as red, green and blue channels:
/// `(D<3>, Dyn, Dyn)` `u8` pixels, rows top to bottom.
///
/// A file that is missing, unreadable or not an image gives an error naming the file.
///
/// ```no_run
/// let photo = typed_torch::vision::read_rgb("photo.jpg").unwrap();
/// println!("{} x {} pixels", photo.size()[1], photo.size()[2]);
/// ```
pub fn read_rgb(path: impl AsRef<Path>) -> Result<Image<3>> {
    let path = path.as_ref();
    decode_rgb(&read(path)?).map_err(|e| with_path(e, path))
}

/// Reads a PNG or JPEG file as one grey channel: `(D<1>, Dyn, Dyn)` `u8` pixels. Grey files are
/// read as they are; colour ones are converted by [`Grayscale`](super::Grayscale), torchvision's
/// weights.
pub fn read_gray(path: impl AsRef<Path>) -> Result<Image<1>> {
    let path = path.as_ref();
    decode_gray(&read(path)?).map_err(|e| with_path(e, path))
}

/// Decodes PNG or JPEG bytes as red, green and blue channels.
///
/// ```
/// let not_an_image = typed_torch::vision::decode_rgb(b"GIF89a");
/// assert!(not_an_image.is_err());
/// ```
pub fn decode_rgb(bytes: &[u8]) -> Result<Image<3>> {
    let image = decode(bytes)?.into_rgb8();
    let (w, h) = image.dimensions();
    channels_first(image.as_raw(), h as usize, w as usize, 3)
}

/// Decodes PNG or JPEG bytes as one grey channel.
pub fn decode_gray(bytes: &[u8]) -> Result<Image<1>> {
    let image = decode(bytes)?;
    if image.color().has_color() {
        let image = image.into_rgb8();
        let (w, h) = image.dimensions();
        let rgb = channels_first::<3>(image.as_raw(), h as usize, w as usize, 3)?;
        super::Grayscale.apply(rgb, &mut crate::data::DataRng::seed_from_u64(0))
    } else {
        let image = image.into_luma8();
        let (w, h) = image.dimensions();
        channels_first(image.as_raw(), h as usize, w as usize, 1)
    }
}

/// Writes a `u8` image with 1 (grey) or 3 (RGB) channels as a PNG file.
///
/// ```
/// use typed_torch::vision::{read_rgb, save_png, Image};
/// let image = Image::<3>::zeros_dyn(&[4, 6]).unwrap();
/// let path = std::env::temp_dir().join("typed-torch-save-png-doc.png");
/// save_png(&image, &path).unwrap();
/// assert_eq!(read_rgb(&path).unwrap().size(), vec![3, 4, 6]);
/// ```
pub fn save_png<const C: usize, H: crate::Dim, W: crate::Dim>(
    image: &Image<C, H, W>,
    path: impl AsRef<Path>,
) -> Result<()> {
    let path = path.as_ref();
    let color = match C {
        1 => image::ColorType::L8,
        3 => image::ColorType::Rgb8,
        _ => {
            return Err(Error::Invalid(format!(
                "save_png: a PNG file holds 1 or 3 channels here, the image has {C}"
            )))
        }
    };
    let size = image.size();
    let hwc = image.as_tch().f_permute([1, 2, 0])?.f_contiguous()?;
    let len = hwc.numel();
    let mut pixels = vec![0u8; len];
    hwc.f_copy_data(&mut pixels, len)?;
    image::save_buffer(path, &pixels, size[2] as u32, size[1] as u32, color).map_err(|e| {
        Error::Data {
            path: path.to_path_buf(),
            problem: format!("could not write the PNG file: {e}"),
        }
    })
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn decode(bytes: &[u8]) -> Result<image::DynamicImage> {
    let format = image::guess_format(bytes).map_err(|_| {
        Error::Invalid("not a PNG or JPEG image (its first bytes are neither signature)".into())
    })?;
    if !matches!(format, image::ImageFormat::Png | image::ImageFormat::Jpeg) {
        return Err(Error::Invalid(format!(
            "a {format:?} image: only PNG and JPEG are read"
        )));
    }
    image::load_from_memory_with_format(bytes, format)
        .map_err(|e| Error::Invalid(format!("the {format:?} data is damaged: {e}")))
}

/// Interleaved `(H, W, C)` bytes as a contiguous `(C, H, W)` tensor.
fn channels_first<const C: usize>(
    raw: &[u8],
    height: usize,
    width: usize,
    channels: usize,
) -> Result<Image<C>> {
    let x = tch::Tensor::from_slice(raw)
        .f_view([height as i64, width as i64, channels as i64])?
        .f_permute([2, 0, 1])?
        .f_contiguous()?;
    Ok(Tensor::wrap(x))
}

/// A decoding error told with the file it came from.
fn with_path(error: Error, path: &Path) -> Error {
    match error {
        Error::Invalid(problem) => Error::Data {
            path: path.to_path_buf(),
            problem,
        },
        other => other,
    }
}
