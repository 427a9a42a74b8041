use typed_torch::nn::{BatchNorm2d, Conv2d, Init, Module, ReLU};
use typed_torch::{D, Dyn, Tensor, hlist};

fn main() {
    // The convolution makes 8 channels; the batch norm after it was written for 16.
    let stack = hlist![Conv2d::<1, 8, 3>::init().unwrap(), BatchNorm2d::<16>::init().unwrap(), ReLU];
    let x = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_dyn(&[2]).unwrap();
    let _y = stack.forward(x);
}
