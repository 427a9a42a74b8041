use typed_torch::nn::{Init, Module, MultiheadAttention};
use typed_torch::options::{Heads, KDim, VDim};
use typed_torch::{D, Tensor};

fn main() {
    let cross = MultiheadAttention::<8, Heads<2>, (KDim<5>, VDim<3>)>::init().unwrap();
    let query = Tensor::<(D<2>, D<4>, D<8>)>::randn();
    // Keys of the model's width 8, but the layer was made for keys of 5 features.
    let key = Tensor::<(D<2>, D<6>, D<8>)>::randn();
    let value = Tensor::<(D<2>, D<6>, D<3>)>::randn();
    let _y = cross.forward((query, key, value));
}
