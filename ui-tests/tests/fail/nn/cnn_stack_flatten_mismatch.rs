use typed_torch::nn::{Conv2d, Flatten, Init, Linear, MaxPool2d, Module, ReLU};
use typed_torch::{D, Dyn, Tensor, hlist};

fn main() {
    // 28 -> conv 5 -> 24 -> pool -> 12: 6 * 12 * 12 = 864 features, not 6 * 14 * 14.
    let net = hlist![Conv2d::<1, 6, 5>::init().unwrap(), ReLU, MaxPool2d::<2>::default(), Flatten, Linear::<1176, 10>::init().unwrap()];
    let x = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_dyn(&[8]).unwrap();
    let _y = net.forward(x);
}
