use typed_torch::nn::{BatchNorm2d, Init, Module};
use typed_torch::{D, Tensor};

fn main() {
    let bn = BatchNorm2d::<8>::init().unwrap();
    let _y = bn.forward(Tensor::<(D<2>, D<16>, D<4>, D<4>)>::zeros());
}
