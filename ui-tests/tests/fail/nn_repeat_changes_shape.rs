use typed_torch::nn::{Linear, Module, Repeat};
use typed_torch::{Tensor, D};

fn main() {
    let deep = Repeat::<_, 3>::new(|| Linear::<4, 8>::new());
    let _y = deep.forward(Tensor::<(D<2>, D<4>)>::zeros());
}
