//! Resizing and cropping: torchvision.transforms.v2's `Resize`, `CenterCrop` and
//! `RandomResizedCrop`, with static output sizes where the transform fixes them.
use super::transform::ImageTransform;
use super::Image;
use crate::data::DataRng;
use crate::device::Device;
use crate::dims::{Dim, Dyn};
use crate::element::Element;
use crate::error::{Error, Result};
use crate::tensor::Tensor;
use rand::Rng;

/// How pixels are resampled when an image is resized (torchvision's `InterpolationMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interpolation {
    /// The nearest source pixel (`NEAREST`).
    Nearest,
    /// Bilinear (`BILINEAR`, torchvision's default); with `antialias` (also the default) a
    /// downscale averages over the whole footprint of each output pixel instead of aliasing.
    Bilinear {
        /// Average over each output pixel's footprint when shrinking.
        antialias: bool,
    },
    /// Bicubic (`BICUBIC`), optionally antialiased like `Bilinear`.
    Bicubic {
        /// Average over each output pixel's footprint when shrinking.
        antialias: bool,
    },
}

impl Interpolation {
    /// torchvision's default: bilinear with antialiasing.
    pub const DEFAULT: Interpolation = Interpolation::Bilinear { antialias: true };
}

impl Default for Interpolation {
    fn default() -> Self {
        Interpolation::DEFAULT
    }
}

/// `image` resized to `height` x `width` pixels, as torchvision's
/// `transforms.v2.functional.resize(image, [height, width], interpolation)`.
///
/// `u8` images are resampled by libtorch's `u8` kernels on the CPU (torchvision's path on AVX2
/// machines); elsewhere they go through `f32` and are rounded back.
///
/// ```
/// use typed_torch::vision::{resize, Image, Interpolation};
/// let image = Image::<3>::zeros_dyn(&[480, 640]).unwrap();
/// let small = resize(&image, 240, 320, Interpolation::DEFAULT).unwrap();
/// assert_eq!(small.size(), vec![3, 240, 320]);
/// ```
pub fn resize<const C: usize, H: Dim, W: Dim, E: Element, Dev: Device>(
    image: &Image<C, H, W, E, Dev>,
    height: usize,
    width: usize,
    interpolation: Interpolation,
) -> Result<Image<C, Dyn, Dyn, E, Dev>> {
    let found = image.size();
    if height == 0 || width == 0 {
        return Err(Error::Invalid(format!(
            "resize: the output size must be positive, found {height}x{width}"
        )));
    }
    check_not_empty("resize", &found)?;
    if found[1..] == [height, width] {
        return Ok(Tensor::wrap(image.as_tch().shallow_clone()));
    }
    Ok(Tensor::wrap(interpolate(
        image.as_tch(),
        height,
        width,
        interpolation,
    )?))
}

/// Resamples a `(C, H, W)` tensor to `(C, height, width)`.
fn interpolate(
    x: &tch::Tensor,
    height: usize,
    width: usize,
    interpolation: Interpolation,
) -> Result<tch::Tensor> {
    let size = [height as i64, width as i64];
    let batch = x.f_unsqueeze(0)?;
    let native_u8 = x.device() == tch::Device::Cpu || interpolation == Interpolation::Nearest;
    let is_u8 = x.kind() == tch::Kind::Uint8;
    // libtorch's u8 resampling exists on the CPU only (and for nearest everywhere); elsewhere a u8
    // image is resampled in f32 and rounded back, as torchvision does.
    let input = if is_u8 && !native_u8 {
        batch.f_to_kind(tch::Kind::Float)?
    } else {
        batch
    };
    let out = match interpolation {
        Interpolation::Nearest => input.f_upsample_nearest2d(size, None, None)?,
        Interpolation::Bilinear { antialias: true } => {
            input.f_internal_upsample_bilinear2d_aa(size, false, None, None)?
        }
        Interpolation::Bilinear { antialias: false } => {
            input.f_upsample_bilinear2d(size, false, None, None)?
        }
        Interpolation::Bicubic { antialias: true } => {
            input.f_internal_upsample_bicubic2d_aa(size, false, None, None)?
        }
        Interpolation::Bicubic { antialias: false } => {
            input.f_upsample_bicubic2d(size, false, None, None)?
        }
    };
    let out = if is_u8 && !native_u8 {
        out.f_clamp(0.0, 255.0)?
            .f_round()?
            .f_to_kind(tch::Kind::Uint8)?
    } else {
        out
    };
    Ok(out.f_squeeze_dim(0)?)
}

/// An error for an image without pixels, which no transform can resample or crop.
fn check_not_empty(op: &str, size: &[usize]) -> Result<()> {
    if size[1] == 0 || size[2] == 0 {
        return Err(Error::Invalid(format!(
            "{op}: the image has no pixels (size {}x{})",
            size[1], size[2]
        )));
    }
    Ok(())
}

/// The output size of torchvision's `Resize(short)`: the shorter side becomes `short`, the longer
/// one keeps the aspect ratio, rounded down (`int(short * long / shorter)`).
fn shorter_side_to(height: usize, width: usize, short: usize) -> (usize, usize) {
    let (shorter, longer) = (height.min(width), height.max(width));
    let new_long = (short as f64 * longer as f64 / shorter as f64) as usize;
    if height <= width {
        (short, new_long)
    } else {
        (new_long, short)
    }
}

/// torchvision's `Resize(SHORT)`: the shorter side resized to `SHORT` pixels and the other
/// keeping the aspect ratio, so the output's sizes are `Dyn`.
///
/// ```
/// use typed_torch::data::{DataRng, SeedableRng};
/// use typed_torch::vision::{Image, ImageTransform, Resize};
/// let image = Image::<3>::zeros_dyn(&[427, 640]).unwrap();
/// let resized = Resize::<256>::new().apply(image, &mut DataRng::seed_from_u64(0)).unwrap();
/// assert_eq!(resized.size(), vec![3, 256, 383]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Resize<const SHORT: usize> {
    interpolation: Interpolation,
}

impl<const SHORT: usize> Resize<SHORT> {
    /// Bilinear with antialiasing, torchvision's default.
    pub fn new() -> Self {
        Resize {
            interpolation: Interpolation::DEFAULT,
        }
    }

    /// Another resampling.
    pub fn with_interpolation(interpolation: Interpolation) -> Self {
        Resize { interpolation }
    }
}

impl<const C: usize, const SHORT: usize, H: Dim, W: Dim, E: Element, Dev: Device>
    ImageTransform<Image<C, H, W, E, Dev>> for Resize<SHORT>
{
    type Output = Image<C, Dyn, Dyn, E, Dev>;
    fn apply(&self, image: Image<C, H, W, E, Dev>, _: &mut DataRng) -> Result<Self::Output> {
        let size = image.size();
        check_not_empty("Resize", &size)?;
        let (h, w) = shorter_side_to(size[1], size[2], SHORT);
        resize(&image, h, w, self.interpolation)
    }
}

/// torchvision's `Resize((H, W))`: exactly `H` x `W` pixels, in the type.
///
/// ```
/// use typed_torch::data::{DataRng, SeedableRng};
/// use typed_torch::vision::{Image, ImageTransform, ResizeTo};
/// use typed_torch::{Tensor, D};
/// let image = Image::<1>::zeros_dyn(&[100, 50]).unwrap();
/// let x: Tensor<(D<1>, D<28>, D<28>), u8> =
///     ResizeTo::<28, 28>::new().apply(image, &mut DataRng::seed_from_u64(0)).unwrap();
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ResizeTo<const H: usize, const W: usize> {
    interpolation: Interpolation,
}

impl<const H: usize, const W: usize> ResizeTo<H, W> {
    /// Bilinear with antialiasing, torchvision's default.
    pub fn new() -> Self {
        ResizeTo {
            interpolation: Interpolation::DEFAULT,
        }
    }

    /// Another resampling.
    pub fn with_interpolation(interpolation: Interpolation) -> Self {
        ResizeTo { interpolation }
    }
}

impl<const C: usize, const OH: usize, const OW: usize, H: Dim, W: Dim, E: Element, Dev: Device>
    ImageTransform<Image<C, H, W, E, Dev>> for ResizeTo<OH, OW>
{
    type Output = Image<C, crate::D<OH>, crate::D<OW>, E, Dev>;
    fn apply(&self, image: Image<C, H, W, E, Dev>, _: &mut DataRng) -> Result<Self::Output> {
        let out = resize(&image, OH, OW, self.interpolation)?;
        Ok(Tensor::wrap(out.into_tch()))
    }
}

/// A rectangle of an image: rows `top..top + height`, columns `left..left + width`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CropBox {
    /// The first row.
    pub top: usize,
    /// The first column.
    pub left: usize,
    /// Rows.
    pub height: usize,
    /// Columns.
    pub width: usize,
}

/// The centre `H` x `W` of `image`, padded with zeros first where the image is smaller, as
/// torchvision's `transforms.v2.functional.center_crop(image, [H, W])`.
///
/// ```
/// use typed_torch::vision::{center_crop, Image};
/// use typed_torch::D;
/// let image = Image::<1>::from_slice_dyn(&[1, 2, 3, 4, 5, 6, 7, 8, 9], &[3, 3]).unwrap();
/// let centre: Image<1, D<1>, D<1>> = center_crop(&image).unwrap();
/// assert_eq!(centre.to_vec(), vec![5]);
/// ```
pub fn center_crop<const H: usize, const W: usize, IH, IW, E, Dev, const C: usize>(
    image: &Image<C, IH, IW, E, Dev>,
) -> Result<Image<C, crate::D<H>, crate::D<W>, E, Dev>>
where
    IH: Dim,
    IW: Dim,
    E: Element,
    Dev: Device,
{
    let size = image.size();
    let (mut ih, mut iw) = (size[1], size[2]);
    let mut x = image.as_tch().shallow_clone();
    if H > ih || W > iw {
        // torchvision pads the missing rows and columns evenly, the odd one on the bottom/right.
        let pad_w = W.saturating_sub(iw);
        let pad_h = H.saturating_sub(ih);
        let pads = [
            (pad_w / 2) as i64,
            pad_w.div_ceil(2) as i64,
            (pad_h / 2) as i64,
            pad_h.div_ceil(2) as i64,
        ];
        x = x.f_constant_pad_nd(pads)?;
        ih = ih.max(H);
        iw = iw.max(W);
    }
    // Python's `round`, which torchvision uses for the anchor, rounds halves to even.
    let top = ((ih - H) as f64 / 2.0).round_ties_even() as i64;
    let left = ((iw - W) as f64 / 2.0).round_ties_even() as i64;
    let x = x.f_narrow(1, top, H as i64)?.f_narrow(2, left, W as i64)?;
    Ok(Tensor::wrap(x))
}

/// torchvision's `CenterCrop((H, W))`: the centre `H` x `W` pixels, in the type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CenterCrop<const H: usize, const W: usize>;

impl<const H: usize, const W: usize> CenterCrop<H, W> {
    /// The transform.
    pub fn new() -> Self {
        CenterCrop
    }
}

impl<const C: usize, const OH: usize, const OW: usize, H: Dim, W: Dim, E: Element, Dev: Device>
    ImageTransform<Image<C, H, W, E, Dev>> for CenterCrop<OH, OW>
{
    type Output = Image<C, crate::D<OH>, crate::D<OW>, E, Dev>;
    fn apply(&self, image: Image<C, H, W, E, Dev>, _: &mut DataRng) -> Result<Self::Output> {
        center_crop::<OH, OW, H, W, E, Dev, C>(&image)
    }
}

/// The rectangle `crop` of `image`, resized to `H` x `W`: torchvision's
/// `transforms.v2.functional.resized_crop(image, top, left, height, width, [H, W])`, for a
/// rectangle inside the image.
///
/// ```
/// use typed_torch::vision::{resized_crop, CropBox, Image, Interpolation};
/// use typed_torch::D;
/// let image = Image::<3>::zeros_dyn(&[100, 200]).unwrap();
/// let crop = CropBox { top: 10, left: 20, height: 50, width: 60 };
/// let x: Image<3, D<32>, D<32>> = resized_crop(&image, crop, Interpolation::DEFAULT).unwrap();
/// ```
pub fn resized_crop<const H: usize, const W: usize, IH, IW, E, Dev, const C: usize>(
    image: &Image<C, IH, IW, E, Dev>,
    crop: CropBox,
    interpolation: Interpolation,
) -> Result<Image<C, crate::D<H>, crate::D<W>, E, Dev>>
where
    IH: Dim,
    IW: Dim,
    E: Element,
    Dev: Device,
{
    let size = image.size();
    let inside = crop.height > 0
        && crop.width > 0
        && crop.top + crop.height <= size[1]
        && crop.left + crop.width <= size[2];
    if !inside {
        return Err(Error::Invalid(format!(
            "resized_crop: the box of {}x{} pixels at row {}, column {} is not inside the {}x{} image",
            crop.height, crop.width, crop.top, crop.left, size[1], size[2]
        )));
    }
    let region: Image<C, Dyn, Dyn, E, Dev> = Tensor::wrap(
        image
            .as_tch()
            .f_narrow(1, crop.top as i64, crop.height as i64)?
            .f_narrow(2, crop.left as i64, crop.width as i64)?,
    );
    let out = resize(&region, H, W, interpolation)?;
    Ok(Tensor::wrap(out.into_tch()))
}

/// torchvision's `RandomResizedCrop((H, W), scale, ratio)`: a random rectangle covering a
/// fraction of the image's area drawn from `scale` (default `0.08..1`), with an aspect ratio
/// drawn log-uniformly from `ratio` (default `3/4..4/3`), resized to `H` x `W`.
///
/// ```
/// use typed_torch::data::{DataRng, SeedableRng};
/// use typed_torch::vision::{Image, ImageTransform, RandomResizedCrop};
/// let crop = RandomResizedCrop::<224, 224>::new();
/// let image = Image::<3>::zeros_dyn(&[427, 640]).unwrap();
/// let x = crop.apply(image, &mut DataRng::seed_from_u64(7)).unwrap();
/// assert_eq!(x.size(), vec![3, 224, 224]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RandomResizedCrop<const H: usize, const W: usize> {
    scale: (f64, f64),
    ratio: (f64, f64),
    interpolation: Interpolation,
}

impl<const H: usize, const W: usize> Default for RandomResizedCrop<H, W> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const H: usize, const W: usize> RandomResizedCrop<H, W> {
    /// torchvision's defaults: area fraction `0.08..1`, aspect ratio `3/4..4/3`, bilinear with
    /// antialiasing.
    pub fn new() -> Self {
        RandomResizedCrop {
            scale: (0.08, 1.0),
            ratio: (3.0 / 4.0, 4.0 / 3.0),
            interpolation: Interpolation::DEFAULT,
        }
    }

    /// Other ranges: an error unless `0 < scale.0 <= scale.1` and `0 < ratio.0 <= ratio.1`, all
    /// finite (the area fraction may exceed 1, as torchvision allows; such draws are retried).
    pub fn with_ranges(self, scale: (f64, f64), ratio: (f64, f64)) -> Result<Self> {
        let ordered =
            |(lo, hi): (f64, f64)| lo.is_finite() && hi.is_finite() && 0.0 < lo && lo <= hi;
        if !ordered(scale) || !ordered(ratio) {
            return Err(Error::Invalid(format!(
                "RandomResizedCrop: scale {scale:?} and ratio {ratio:?} must be ranges (low, high) \
                 of finite positive numbers with low <= high"
            )));
        }
        Ok(RandomResizedCrop {
            scale,
            ratio,
            ..self
        })
    }

    /// Another resampling.
    pub fn with_interpolation(self, interpolation: Interpolation) -> Self {
        RandomResizedCrop {
            interpolation,
            ..self
        }
    }

    /// The rectangle drawn for an image of `height` x `width` pixels, by torchvision's
    /// algorithm: ten tries at an area and aspect ratio that fit, then the largest centred
    /// rectangle whose aspect ratio is in range.
    pub fn draw(&self, height: usize, width: usize, rng: &mut DataRng) -> CropBox {
        let area = (height * width) as f64;
        let log_ratio = (self.ratio.0.ln(), self.ratio.1.ln());
        for _ in 0..10 {
            let target_area = area * uniform(rng, self.scale);
            let aspect = uniform(rng, log_ratio).exp();
            let w = (target_area * aspect).sqrt().round_ties_even() as usize;
            let h = (target_area / aspect).sqrt().round_ties_even() as usize;
            if 0 < w && w <= width && 0 < h && h <= height {
                let top = rng.gen_range(0..=height - h);
                let left = rng.gen_range(0..=width - w);
                return CropBox {
                    top,
                    left,
                    height: h,
                    width: w,
                };
            }
        }
        let in_ratio = width as f64 / height as f64;
        let (h, w) = if in_ratio < self.ratio.0 {
            (
                ((width as f64) / self.ratio.0).round_ties_even() as usize,
                width,
            )
        } else if in_ratio > self.ratio.1 {
            (
                height,
                ((height as f64) * self.ratio.1).round_ties_even() as usize,
            )
        } else {
            (height, width)
        };
        CropBox {
            top: (height - h) / 2,
            left: (width - w) / 2,
            height: h,
            width: w,
        }
    }
}

/// A draw from `[lo, hi)`, or `lo` when the range is one point.
fn uniform(rng: &mut DataRng, (lo, hi): (f64, f64)) -> f64 {
    if lo < hi {
        rng.gen_range(lo..hi)
    } else {
        lo
    }
}

impl<const C: usize, const OH: usize, const OW: usize, H: Dim, W: Dim, E: Element, Dev: Device>
    ImageTransform<Image<C, H, W, E, Dev>> for RandomResizedCrop<OH, OW>
{
    type Output = Image<C, crate::D<OH>, crate::D<OW>, E, Dev>;
    fn apply(&self, image: Image<C, H, W, E, Dev>, rng: &mut DataRng) -> Result<Self::Output> {
        let size = image.size();
        check_not_empty("RandomResizedCrop", &size)?;
        let crop = self.draw(size[1], size[2], rng);
        resized_crop::<OH, OW, H, W, E, Dev, C>(&image, crop, self.interpolation)
    }
}
