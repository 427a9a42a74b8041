use typed_torch::nn::{Init, Module, TransformerEncoderLayer};
use typed_torch::options::{BatchFirst, Heads};
use typed_torch::{D, Tensor};

fn main() {
    let layer = TransformerEncoderLayer::<32, Heads<4>, 64, BatchFirst>::init().unwrap();
    // An encoder layer gives back its input's shape; 64 is only its hidden feed-forward width.
    let _y: Tensor<(D<2>, D<5>, D<64>)> = layer.forward(Tensor::<(D<2>, D<5>, D<32>)>::randn());
}
