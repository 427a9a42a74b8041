use typed_torch::nn::{Conv2d, Flatten, Module, ReLU, Residual};
use typed_torch::{hlist, Dyn, Tensor, D};

fn main() {
    // The skip connection adds the block's input to its output, but the block doubles the channels.
    let stack = hlist![
        Conv2d::<1, 8, 3, 1, 1>::new(),
        ReLU,
        Residual(hlist![Conv2d::<8, 16, 3, 1, 1>::new(), ReLU]),
        Flatten
    ];
    let x = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_sized(&[2, 1, 28, 28]).unwrap();
    let _y = stack.forward(x);
}
