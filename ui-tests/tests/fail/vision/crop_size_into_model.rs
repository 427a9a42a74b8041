// The pipeline crops 200 x 200; the model was written for 224 x 224 inputs.
use typed_torch::data::{DataRng, SeedableRng};
use typed_torch::nn::{Conv2d, Init, Module};
use typed_torch::vision::{CenterCrop, Image, ImageTransform, Resize, ToFloat};
use typed_torch::{Tensor, D};

fn main() {
    let photo = Image::<3>::zeros_dyn(&[427, 640]).unwrap();
    let pipeline = (Resize::<256>::new(), CenterCrop::<200, 200>::new(), ToFloat::<f32>::new());
    let x = pipeline.apply(photo, &mut DataRng::seed_from_u64(0)).unwrap();
    let stem = Conv2d::<3, 64, 7>::init().unwrap();
    let _: Tensor<(D<1>, D<64>, D<218>, D<218>)> = stem.forward(x.unsqueeze::<0>());
}
