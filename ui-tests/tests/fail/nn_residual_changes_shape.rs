use typed_torch::nn::{Linear, Module, Residual};
use typed_torch::{Tensor, D};

fn main() {
    // A skip connection needs a block whose output has its input's shape.
    let block = Residual(Linear::<4, 8>::new());
    let _y = block.forward(Tensor::<(D<2>, D<4>)>::zeros());
}
