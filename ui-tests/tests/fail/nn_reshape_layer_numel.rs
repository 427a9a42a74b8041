use typed_torch::nn::{Linear, Module, Reshape};
use typed_torch::{hlist, Tensor, D};

fn main() {
    // 8 x 98 = 784 elements cannot become 8 x 3 x 49 = 1176.
    let net = hlist![Linear::<784, 98>::new(), Reshape::<(D<8>, D<3>, D<49>)>::default()];
    let _y = net.forward(Tensor::<(D<8>, D<784>)>::zeros());
}
