use typed_torch::nn::{Init, Linear, Module};
use typed_torch::{Cuda, D, Dyn, Tensor};

fn main() {
    let layer = Linear::<4, 2>::init().unwrap(); // on the CPU
    let x = Tensor::<(Dyn, D<4>), f32, Cuda<0>>::zeros_dyn(&[3]).unwrap();
    let _y = layer.forward(x);
}
