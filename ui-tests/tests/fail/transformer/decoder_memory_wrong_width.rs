use typed_torch::nn::{Init, Module, TransformerDecoderLayer};
use typed_torch::options::{BatchFirst, Heads};
use typed_torch::{D, Tensor};

fn main() {
    let layer = TransformerDecoderLayer::<32, Heads<4>, 64, BatchFirst>::init().unwrap();
    let tgt = Tensor::<(D<2>, D<5>, D<32>)>::randn();
    // The memory comes from an encoder of width 16, but this decoder is 32 wide.
    let memory = Tensor::<(D<2>, D<9>, D<16>)>::randn();
    let _y = layer.forward((tgt, &memory));
}
