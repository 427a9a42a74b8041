use typed_torch::nn::{Concat, Linear, Module, Parallel};
use typed_torch::{Tensor, D};

fn main() {
    // Concatenating along axis 0 needs equal feature dims: 3 vs 5.
    let both = Parallel::<_, _, Concat<0>>::new(Linear::<4, 3>::new(), Linear::<4, 5>::new());
    let _y = both.forward(Tensor::<(D<2>, D<4>)>::zeros());
}
