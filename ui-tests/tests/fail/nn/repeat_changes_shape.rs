use typed_torch::nn::{Init, Linear, Module, Repeat};
use typed_torch::{D, Tensor};
use typed_torch::nn::Repeat;

fn main() {
    let deep = Repeat::<_, 3>::new(|| Linear::<4, 8>::init().unwrap());
    let _y = deep.forward(Tensor::<(D<2>, D<4>)>::zeros());
}
