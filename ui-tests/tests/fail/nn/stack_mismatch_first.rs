use typed_torch::nn::{Init, Linear, Module, ReLU};
use typed_torch::{D, Dyn, Tensor, hlist};

fn main() {
    let mlp = hlist![Linear::<784, 300>::init().unwrap(), ReLU, Linear::<300, 10>::init().unwrap()];
    // Images not flattened: rank 4 where the first layer takes (batch, 784).
    let x = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_dyn(&[8]).unwrap();
    let _y = mlp.forward(x);
}
