use typed_torch::nn::{Init, Linear, Module, ReLU, Reshape};
use typed_torch::{D, Tensor, hlist};

fn main() {
    // Reshape gives (8, 2, 49): the Linear expects 98 features in the last dim, not 49.
    let net = hlist![
        Linear::<784, 98>::init().unwrap(),
        ReLU,
        Reshape::<(D<8>, D<2>, D<49>)>::default(),
        Linear::<98, 10>::init().unwrap()
    ];
    let x = Tensor::<(D<8>, D<784>)>::zeros();
    let _y = net.forward(x);
}
