use typed_torch::nn::{Conv2d, Flatten, Linear, MaxPool2d, Module, ReLU};
use typed_torch::{hlist, Dyn, Tensor, D};

fn main() {
    // 28 -> conv 5 -> 24 -> pool -> 12: 6 * 12 * 12 = 864 features, not 6 * 14 * 14.
    let net = hlist![Conv2d::<1, 6, 5>::new(), ReLU, MaxPool2d::<2>, Flatten, Linear::<1176, 10>::new()];
    let x = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_sized(&[8, 1, 28, 28]).unwrap();
    let _y = net.forward(x);
}
