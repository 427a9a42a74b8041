use typed_torch::nn::{Init, Linear, Module, Residual};
use typed_torch::{D, Tensor};

fn main() {
    // A skip connection needs a block whose output has its input's shape.
    let block = Residual(Linear::<4, 8>::init().unwrap());
    let _y = block.forward(Tensor::<(D<2>, D<4>)>::zeros());
}
