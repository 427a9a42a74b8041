use typed_torch::nn::{Init, Module, SinusoidalPositionalEncoding};
use typed_torch::{D, Tensor};

fn main() {
    let pe = SinusoidalPositionalEncoding::<100, 16>::init().unwrap();
    // Embeddings of 32 features, positions of 16.
    let _y = pe.forward(Tensor::<(D<7>, D<2>, D<32>)>::randn());
}
