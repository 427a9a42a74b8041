//! Transforms of pixel values and orientation: `ToFloat`, `Normalize`, flips.
use super::transform::ImageTransform;
use super::Image;
use crate::data::{DataRng, Normalize, RandomHorizontalFlip};
use crate::device::Device;
use crate::dims::Dim;
use crate::element::{Element, Float};
use crate::error::Result;
use crate::tensor::Tensor;
use core::marker::PhantomData;
use rand::Rng;

/// ImageNet's per-channel means (red, green, blue) of pixels scaled to `[0, 1]`.
pub const IMAGENET_MEAN: [f64; 3] = [0.485, 0.456, 0.406];
/// ImageNet's per-channel standard deviations of pixels scaled to `[0, 1]`.
pub const IMAGENET_STD: [f64; 3] = [0.229, 0.224, 0.225];

/// `u8` pixels to floats in `[0, 1]` (`/ 255`): torchvision's `ToDtype(torch.float32,
/// scale=True)`, with the float type `E` chosen by the type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ToFloat<E: Float = f32>(PhantomData<E>);

impl<E: Float> ToFloat<E> {
    /// The transform.
    pub fn new() -> Self {
        ToFloat(PhantomData)
    }
}

impl<E: Float> Default for ToFloat<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const C: usize, H: Dim, W: Dim, E: Float, Dev: Device> ImageTransform<Image<C, H, W, u8, Dev>>
    for ToFloat<E>
{
    type Output = Image<C, H, W, E, Dev>;
    fn apply(&self, image: Image<C, H, W, u8, Dev>, _: &mut DataRng) -> Result<Self::Output> {
        let x = image.as_tch().f_to_kind(E::DTYPE)?.f_div_scalar(255.0)?;
        Ok(Tensor::wrap(x))
    }
}

/// Per-channel `(x - mean[c]) / std[c]` of one float image, as torchvision's `Normalize`.
impl<const C: usize, H: Dim, W: Dim, E: Float, Dev: Device> ImageTransform<Image<C, H, W, E, Dev>>
    for Normalize<C>
{
    type Output = Image<C, H, W, E, Dev>;
    fn apply(&self, image: Image<C, H, W, E, Dev>, _: &mut DataRng) -> Result<Self::Output> {
        let stat = |v: &[f64; C]| -> Result<tch::Tensor> {
            Ok(tch::Tensor::from_slice(v)
                .f_to_kind(E::DTYPE)?
                .f_to_device(Dev::tch())?
                .f_view([C as i64, 1, 1])?)
        };
        let x = image.as_tch().f_sub(&stat(self.mean())?)?;
        Ok(Tensor::wrap(x.f_div(&stat(self.std())?)?))
    }
}

/// Mirrors an image left to right (torchvision's `horizontal_flip`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HorizontalFlip;

impl<const C: usize, H: Dim, W: Dim, E: Element, Dev: Device> ImageTransform<Image<C, H, W, E, Dev>>
    for HorizontalFlip
{
    type Output = Image<C, H, W, E, Dev>;
    fn apply(&self, image: Image<C, H, W, E, Dev>, _: &mut DataRng) -> Result<Self::Output> {
        Ok(Tensor::wrap(image.as_tch().f_flip([2])?))
    }
}

/// Mirrors one image left to right with the flip's probability.
impl<const C: usize, H: Dim, W: Dim, E: Element, Dev: Device> ImageTransform<Image<C, H, W, E, Dev>>
    for RandomHorizontalFlip
{
    type Output = Image<C, H, W, E, Dev>;
    fn apply(&self, image: Image<C, H, W, E, Dev>, rng: &mut DataRng) -> Result<Self::Output> {
        if rng.gen_bool(self.p()) {
            HorizontalFlip.apply(image, rng)
        } else {
            Ok(image)
        }
    }
}

/// Colour to grey, `0.2989 r + 0.587 g + 0.114 b` (torchvision's `Grayscale()`, ITU-R 601-2
/// luma); `u8` results are truncated as torchvision's are.
///
/// ```
/// use typed_torch::data::{DataRng, SeedableRng};
/// use typed_torch::vision::{Grayscale, Image, ImageTransform};
/// let red = Image::<3>::from_slice_dyn(&[200, 0, 0], &[1, 1]).unwrap();
/// let grey = Grayscale.apply(red, &mut DataRng::seed_from_u64(0)).unwrap();
/// assert_eq!(grey.to_vec(), vec![59]); // 200 * 0.2989 = 59.78
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Grayscale;

impl<H: Dim, W: Dim, E: Element, Dev: Device> ImageTransform<Image<3, H, W, E, Dev>> for Grayscale {
    type Output = Image<1, H, W, E, Dev>;
    fn apply(&self, image: Image<3, H, W, E, Dev>, _: &mut DataRng) -> Result<Self::Output> {
        let x = image.as_tch();
        // The same operations in the same order as torchvision, so f32 rounding agrees too.
        let channel = |c: i64| x.f_select(0, c);
        let luma = channel(0)?
            .f_mul_scalar(0.2989)?
            .f_add_(&channel(1)?.f_mul_scalar(0.587)?)?
            .f_add_(&channel(2)?.f_mul_scalar(0.114)?)?
            .f_unsqueeze(0)?
            .f_to_kind(E::DTYPE)?;
        Ok(Tensor::wrap(luma))
    }
}
