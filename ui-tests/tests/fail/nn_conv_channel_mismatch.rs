use typed_torch::nn::{Conv2d, Module};
use typed_torch::{Dyn, Tensor, D};

fn main() {
    let conv = Conv2d::<3, 16, 3>::new(); // expects RGB
    let x = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_sized(&[8, 1, 28, 28]).unwrap();
    let _y = conv.forward(x);
}
