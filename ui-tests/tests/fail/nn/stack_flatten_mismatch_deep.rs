use typed_torch::nn::{BatchNorm2d, Conv2d, Dropout, Flatten, Init, Linear, MaxPool2d, Module, ReLU, Tanh};
use typed_torch::options::Padding;
use typed_torch::{D, Dyn, Tensor, hlist};

fn main() {
    // A 14-layer CNN: 28 -> conv 3 pad 1 -> 28 -> pool -> 14 -> conv 3 -> 12 -> pool -> 6, so the
    // flattened features are 16 * 6 * 6 = 576; the classifier's 11th layer was written for 16 * 7 * 7.
    let net = hlist![
        Conv2d::<1, 8, 3, Padding<1>>::init().unwrap(), BatchNorm2d::<8>::init().unwrap(), ReLU, MaxPool2d::<2>::default(),
        Conv2d::<8, 16, 3>::init().unwrap(), BatchNorm2d::<16>::init().unwrap(), ReLU, MaxPool2d::<2>::default(),
        Dropout::default().p(0.25), Flatten, Linear::<784, 128>::init().unwrap(), ReLU, Linear::<128, 10>::init().unwrap(), Tanh,
    ];
    let x = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_dyn(&[8]).unwrap();
    let _y = net.forward(x);
}
