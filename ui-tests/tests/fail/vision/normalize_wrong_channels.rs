// ImageNet's statistics are for three channels; a grey image has one.
use typed_torch::data::{DataRng, SeedableRng};
use typed_torch::vision::{imagenet_normalize, Image, ImageTransform, ToFloat};

fn main() {
    let grey = Image::<1>::zeros_dyn(&[28, 28]).unwrap();
    let pipeline = (ToFloat::<f32>::new(), imagenet_normalize());
    let _ = pipeline.apply(grey, &mut DataRng::seed_from_u64(0));
}
