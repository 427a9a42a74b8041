use typed_torch::nn::{ConcatOutputs, Init, Linear, Module, Parallel};
use typed_torch::{D, Tensor};
use typed_torch::nn::ConcatOutputs;
use typed_torch::nn::Parallel;

fn main() {
    // Concatenating along axis 0 needs equal feature dims: 3 vs 5.
    let both = Parallel::<_, _, ConcatOutputs<0>>::new(Linear::<4, 3>::init().unwrap(), Linear::<4, 5>::init().unwrap());
    let _y = both.forward(Tensor::<(D<2>, D<4>)>::zeros());
}
