use typed_torch::nn::{Linear, ReLU, Summary};
use typed_torch::{hlist, Dyn, Tensor, D};

fn main() {
    let mlp = hlist![Linear::<784, 300>::new(), ReLU, Linear::<300, 10>::new()];
    let _s = Summary::<Tensor<(Dyn, D<28>)>>::summary(&mlp);
}
