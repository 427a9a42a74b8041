// `Grayscale` turns three channels into one; the image has one already.
use typed_torch::data::{DataRng, SeedableRng};
use typed_torch::vision::{Grayscale, Image, ImageTransform};

fn main() {
    let grey = Image::<1>::zeros_dyn(&[28, 28]).unwrap();
    let _ = Grayscale.apply(grey, &mut DataRng::seed_from_u64(0));
}
