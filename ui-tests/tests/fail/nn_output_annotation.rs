use typed_torch::nn::{Linear, Module, ReLU};
use typed_torch::{hlist, Dyn, Tensor, D};

fn main() {
    let mlp = hlist![Linear::<784, 300>::new(), ReLU, Linear::<300, 10>::new()];
    let x = Tensor::<(Dyn, D<784>)>::zeros_sized(&[8, 784]).unwrap();
    let _y: Tensor<(Dyn, D<100>)> = mlp.forward(x);
}
