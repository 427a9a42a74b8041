use typed_torch::nn::{Init, Linear, ReLU, Summary};
use typed_torch::{D, Dyn, Tensor, hlist};

fn main() {
    let mlp = hlist![Linear::<784, 300>::init().unwrap(), ReLU, Linear::<300, 10>::init().unwrap()];
    let _s = Summary::<Tensor<(Dyn, D<28>)>>::summary(&mlp);
}
