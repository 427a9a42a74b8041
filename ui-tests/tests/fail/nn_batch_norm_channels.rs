use typed_torch::nn::{BatchNorm2d, Module};
use typed_torch::{Tensor, D};

fn main() {
    let bn = BatchNorm2d::<8>::new();
    let _y = bn.forward(Tensor::<(D<2>, D<16>, D<4>, D<4>)>::zeros());
}
