use typed_torch::nn::{Linear, Module};
use typed_torch::{Cuda, Dyn, Tensor, D};

fn main() {
    let layer = Linear::<4, 2>::new(); // on the CPU
    let x = Tensor::<(Dyn, D<4>), f32, Cuda<0>>::zeros_sized(&[3, 4]).unwrap();
    let _y = layer.forward(x);
}
