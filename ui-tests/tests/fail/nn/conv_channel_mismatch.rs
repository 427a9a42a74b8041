use typed_torch::nn::{Conv2d, Init, Module};
use typed_torch::{D, Dyn, Tensor};

fn main() {
    let conv = Conv2d::<3, 16, 3>::init().unwrap(); // expects RGB
    let x = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_dyn(&[8]).unwrap();
    let _y = conv.forward(x);
}
