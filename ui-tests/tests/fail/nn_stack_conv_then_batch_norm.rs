use typed_torch::nn::{BatchNorm2d, Conv2d, Module, ReLU};
use typed_torch::{hlist, Dyn, Tensor, D};

fn main() {
    // The convolution makes 8 channels; the batch norm after it was written for 16.
    let stack = hlist![Conv2d::<1, 8, 3>::new(), BatchNorm2d::<16>::new(), ReLU];
    let x = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_sized(&[2, 1, 28, 28]).unwrap();
    let _y = stack.forward(x);
}
