use typed_torch::nn::{Conv2d, Flatten, Linear, MaxPool2d, Module};
use typed_torch::{hlist, Dyn, Tensor, D};

fn main() {
    // Pooling after the flatten: the pool takes (N, C, H, W), not the flattened rows.
    let stack = hlist![Conv2d::<1, 4, 3>::new(), Flatten, MaxPool2d::<2>, Linear::<676, 10>::new()];
    let x = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_sized(&[2, 1, 28, 28]).unwrap();
    let _y = stack.forward(x);
}
