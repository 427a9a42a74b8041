use typed_torch::nn::{BatchNorm2d, Conv2d, Dropout, Flatten, Linear, MaxPool2d, Module, ReLU, Tanh};
use typed_torch::{hlist, Dyn, Tensor, D};

fn main() {
    // A 14-layer CNN: 28 -> conv 3 pad 1 -> 28 -> pool -> 14 -> conv 3 -> 12 -> pool -> 6, so the
    // flattened features are 16 * 6 * 6 = 576; the classifier's 11th layer was written for 16 * 7 * 7.
    let net = hlist![
        Conv2d::<1, 8, 3, 1, 1>::new(), BatchNorm2d::<8>::new(), ReLU, MaxPool2d::<2>,
        Conv2d::<8, 16, 3>::new(), BatchNorm2d::<16>::new(), ReLU, MaxPool2d::<2>,
        Dropout::new(0.25), Flatten, Linear::<784, 128>::new(), ReLU, Linear::<128, 10>::new(), Tanh,
    ];
    let x = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_sized(&[8, 1, 28, 28]).unwrap();
    let _y = net.forward(x);
}
