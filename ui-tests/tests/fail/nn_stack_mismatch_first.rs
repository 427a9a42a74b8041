use typed_torch::nn::{Linear, Module, ReLU};
use typed_torch::{hlist, Dyn, Tensor, D};

fn main() {
    let mlp = hlist![Linear::<784, 300>::new(), ReLU, Linear::<300, 10>::new()];
    // Images not flattened: rank 4 where the first layer takes (batch, 784).
    let x = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_sized(&[8, 1, 28, 28]).unwrap();
    let _y = mlp.forward(x);
}
