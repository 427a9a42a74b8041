use typed_torch::nn::{Init, Module, MultiheadAttention};
use typed_torch::options::{Heads, KDim};
use typed_torch::{D, Tensor};

fn main() {
    let cross = MultiheadAttention::<8, Heads<2>, KDim<5>>::init().unwrap();
    // Self-attention (one input for query, key and value) on a layer made for keys of 5 features.
    let _y = cross.forward(Tensor::<(D<2>, D<4>, D<8>)>::randn());
}
