use typed_torch::nn::{Init, Lstm, Module};
use typed_torch::{Cuda, D, Dyn, Tensor};

fn main() {
    let lstm = Lstm::<4, 8>::init().unwrap(); // on the CPU
    let x = Tensor::<(Dyn, Dyn, D<4>), f32, Cuda<0>>::zeros_dyn(&[5, 2]).unwrap();
    let _y = lstm.forward(x);
}
