use typed_torch::nn::{ConcatOutputs, Init, Linear, Module, Parallel};
use typed_torch::{D, Tensor};

fn main() {
    // Concatenating along axis 0 needs equal feature dims: 3 vs 5.
    let both = Parallel::<Linear<4, 3>, Linear<4, 5>, ConcatOutputs<0>>::init().unwrap();
    let _y = both.forward(Tensor::<(D<2>, D<4>)>::zeros());
}
