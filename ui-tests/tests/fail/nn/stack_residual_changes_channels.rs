use typed_torch::nn::{Conv2d, Flatten, Init, Module, ReLU, Residual};
use typed_torch::options::Padding;
use typed_torch::{D, Dyn, Tensor, hlist};

fn main() {
    // The skip connection adds the block's input to its output, but the block doubles the channels.
    let stack = hlist![
        Conv2d::<1, 8, 3, Padding<1>>::init().unwrap(),
        ReLU,
        Residual(hlist![Conv2d::<8, 16, 3, Padding<1>>::init().unwrap(), ReLU]),
        Flatten
    ];
    let x = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_dyn(&[2]).unwrap();
    let _y = stack.forward(x);
}
