//! The transform trait and its composition as tuples.
use crate::data::DataRng;
use crate::error::Result;

/// A transformation of one image `In` (a `Tensor<(D<C>, H, W), E, Dev>`) into `Self::Output`,
/// whose sizes or dtype may differ: [`Resize`](super::Resize) makes `(D<C>, Dyn, Dyn)`,
/// [`CenterCrop<224, 224>`](super::CenterCrop) makes `(D<C>, D<224>, D<224>)`,
/// [`ToFloat`](super::ToFloat) makes `f32` pixels of `u8` ones.
///
/// Tuples of up to six transforms apply them left to right, each to the previous one's output,
/// so a pipeline's type says what comes out. Random transforms take all their randomness from
/// `rng`: a seed reproduces them.
///
/// ```
/// use typed_torch::data::{DataRng, SeedableRng};
/// use typed_torch::vision::{CenterCrop, HorizontalFlip, Image, ImageTransform, ToFloat};
/// use typed_torch::{Tensor, D};
///
/// let pipeline = (CenterCrop::<2, 2>::new(), HorizontalFlip, ToFloat::<f64>::new());
/// let image = Image::<1>::from_slice_dyn(&[0, 51, 102, 153, 204, 255], &[2, 3]).unwrap();
/// let x: Tensor<(D<1>, D<2>, D<2>), f64> =
///     pipeline.apply(image, &mut DataRng::seed_from_u64(0)).unwrap();
/// assert_eq!(x.to_vec(), vec![0.2, 0.0, 0.8, 0.6]); // columns 0 and 1, mirrored, over 255
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot transform `{In}`",
    label = "this transform does not take that image",
    note = "transforms take one image `Tensor<(D<C>, H, W), E>`: `ToFloat` takes `u8` pixels, \
            `Normalize<C>` float pixels with `C` channels, `Grayscale` 3 channels; in a tuple, \
            each takes the output of the one before"
)]
pub trait ImageTransform<In> {
    /// The transformed image's type.
    type Output;
    /// Transforms one image.
    fn apply(&self, image: In, rng: &mut DataRng) -> Result<Self::Output>;
}

/// `chain!(last; A a, B b after A, C c after B)`: the tuple `(A, B, C)` as one transform, each
/// element taking the output of the one it comes after.
macro_rules! chain {
    ($last:ident; $first:ident $fv:ident $(, $t:ident $v:ident after $prev:ident)*) => {
        impl<In, $first: ImageTransform<In>, $($t: ImageTransform<$prev::Output>),*>
            ImageTransform<In> for ($first, $($t,)*)
        {
            type Output = $last::Output;
            fn apply(&self, image: In, rng: &mut DataRng) -> Result<Self::Output> {
                let ($fv, $($v,)*) = self;
                let image = $fv.apply(image, rng)?;
                $(let image = $v.apply(image, rng)?;)*
                Ok(image)
            }
        }
    };
}
chain!(A; A a);
chain!(B; A a, B b after A);
chain!(C; A a, B b after A, C c after B);
chain!(F; A a, B b after A, C c after B, F f after C);
chain!(G; A a, B b after A, C c after B, F f after C, G g after F);
chain!(H; A a, B b after A, C c after B, F f after C, G g after F, H h after G);
