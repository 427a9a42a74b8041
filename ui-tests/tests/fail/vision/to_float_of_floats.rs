// `ToFloat` scales u8 pixels to [0, 1]; these are floats already.
use typed_torch::data::{DataRng, SeedableRng};
use typed_torch::vision::{Image, ImageTransform, ToFloat};
use typed_torch::Dyn;

fn main() {
    let x = Image::<3, Dyn, Dyn, f32>::zeros_dyn(&[32, 32]).unwrap();
    let _ = ToFloat::<f32>::new().apply(x, &mut DataRng::seed_from_u64(0));
}
