use typed_torch::nn::{Init, Linear, Module, ReLU};
use typed_torch::{D, Dyn, Tensor, hlist};

fn main() {
    let mlp = hlist![Linear::<784, 300>::init().unwrap(), ReLU, Linear::<300, 10>::init().unwrap()];
    let x = Tensor::<(Dyn, D<784>)>::zeros_dyn(&[8]).unwrap();
    let _y: Tensor<(Dyn, D<100>)> = mlp.forward(x);
}
