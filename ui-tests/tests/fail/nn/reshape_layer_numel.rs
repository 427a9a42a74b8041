use typed_torch::nn::{Init, Linear, Module, Reshape};
use typed_torch::{D, Tensor, hlist};

fn main() {
    // 8 x 98 = 784 elements cannot become 8 x 3 x 49 = 1176.
    let net = hlist![Linear::<784, 98>::init().unwrap(), Reshape::<(D<8>, D<3>, D<49>)>::default()];
    let _y = net.forward(Tensor::<(D<8>, D<784>)>::zeros());
}
