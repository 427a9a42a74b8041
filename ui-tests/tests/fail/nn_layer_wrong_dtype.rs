use typed_torch::nn::{Linear, Module};
use typed_torch::{Dyn, Tensor, D};

fn main() {
    let layer = Linear::<4, 2>::new(); // f32 parameters
    let x = Tensor::<(Dyn, D<4>), f64>::zeros_sized(&[3, 4]).unwrap();
    let _y = layer.forward(x);
}
