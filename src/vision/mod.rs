//! Images: decoding PNG and JPEG files into typed `u8` tensors, and torchvision.transforms.v2's
//! common transforms with their output sizes in the type.
//!
//! An image is a [`Tensor<(D<C>, H, W), E, Dev>`](Image): channels first, as torchvision has
//! them. A decoded file has run-time sizes (`(D<3>, Dyn, Dyn)`); [`ResizeTo`], [`CenterCrop`] and
//! [`RandomResizedCrop`] give static ones, so the model after them sees `(D<3>, D<224>, D<224>)`
//! and its sizes are checked by the compiler from there on.
//!
//! Transforms are [`ImageTransform`]s and compose as tuples, left to right. The deterministic
//! ones equal torchvision's functional kernels on the same tensor (the same libtorch calls:
//! bilinear resizing with antialiasing runs libtorch's `uint8` kernel, as torchvision does on
//! AVX2 machines); the random ones draw from the seeded [`DataRng`](crate::data::DataRng) with
//! torchvision's algorithm.
//!
//! ```
//! use typed_torch::data::{DataRng, SeedableRng};
//! use typed_torch::vision::{imagenet_eval, Image, ImageTransform};
//! use typed_torch::{Dyn, Tensor, D};
//!
//! let photo = Image::<3>::zeros_dyn(&[427, 640]).unwrap(); // as `read_rgb` returns it
//! let x: Tensor<(D<3>, D<224>, D<224>)> =
//!     imagenet_eval::<256, 224>().apply(photo, &mut DataRng::seed_from_u64(0)).unwrap();
//! assert_eq!(x.size(), vec![3, 224, 224]);
//! ```
#[cfg(feature = "image-io")]
mod decode;
mod geometry;
mod pixels;
mod transform;

pub use crate::data::{Normalize, RandomHorizontalFlip};
#[cfg(feature = "image-io")]
pub use decode::{decode_gray, decode_rgb, read_gray, read_rgb, save_png};
pub use geometry::{
    center_crop, resize, resized_crop, CenterCrop, CropBox, Interpolation, RandomResizedCrop,
    Resize, ResizeTo,
};
pub use pixels::{Grayscale, HorizontalFlip, ToFloat, IMAGENET_MEAN, IMAGENET_STD};
pub use transform::ImageTransform;

use crate::device::Cpu;
use crate::dims::D;
use crate::tensor::Tensor;

/// One image, channels first: `C` channels of `H` x `W` pixels (`u8` on the CPU unless said).
pub type Image<const C: usize, H = crate::Dyn, W = crate::Dyn, E = u8, Dev = Cpu> =
    Tensor<(D<C>, H, W), E, Dev>;

/// torchvision's evaluation preset for ImageNet classifiers: the shorter side resized to `SHORT`,
/// the centre `CROP` x `CROP` cut out, pixels scaled to `[0, 1]` and normalised by ImageNet's
/// statistics (`ImageClassification(crop_size=CROP, resize_size=SHORT)`).
pub fn imagenet_eval<const SHORT: usize, const CROP: usize>() -> (
    Resize<SHORT>,
    CenterCrop<CROP, CROP>,
    ToFloat<f32>,
    Normalize<3>,
) {
    (
        Resize::<SHORT>::new(),
        CenterCrop::<CROP, CROP>::new(),
        ToFloat::<f32>::new(),
        imagenet_normalize(),
    )
}

/// [`Normalize`] by ImageNet's channel means and standard deviations, which torchvision's
/// pretrained classifiers expect.
pub fn imagenet_normalize() -> Normalize<3> {
    Normalize::new(IMAGENET_MEAN, IMAGENET_STD).expect("ImageNet's statistics are valid")
}
