use typed_torch::nn::{Conv2d, Flatten, Init, Linear, MaxPool2d, Module};
use typed_torch::{D, Dyn, Tensor, hlist};

fn main() {
    // Pooling after the flatten: the pool takes (N, C, H, W), not the flattened rows.
    let stack = hlist![Conv2d::<1, 4, 3>::init().unwrap(), Flatten, MaxPool2d::<2>::default(), Linear::<676, 10>::init().unwrap()];
    let x = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_dyn(&[2]).unwrap();
    let _y = stack.forward(x);
}
