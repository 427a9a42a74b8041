use typed_torch::nn::{Init, Linear, Module};
use typed_torch::{D, Dyn, Tensor};

fn main() {
    let layer = Linear::<4, 2>::init().unwrap(); // f32 parameters
    let x = Tensor::<(Dyn, D<4>), f64>::zeros_dyn(&[3]).unwrap();
    let _y = layer.forward(x);
}
