use typed_torch::nn::{Init, Linear, Module, Repeat};
use typed_torch::{D, Tensor};

fn main() {
    // Each block must give back its input's type: 4 features in, 8 out.
    let deep = Repeat::<Linear<4, 8>, 3>::init().unwrap();
    let _y = deep.forward(Tensor::<(D<2>, D<4>)>::zeros());
}
