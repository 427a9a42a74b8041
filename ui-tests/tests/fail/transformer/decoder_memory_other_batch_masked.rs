use typed_torch::nn::{DecoderMasks, Init, TransformerDecoderLayer};
use typed_torch::options::Heads;
use typed_torch::{D, Tensor};

fn main() {
    let layer = TransformerDecoderLayer::<32, Heads<4>, 64>::init().unwrap();
    let tgt = Tensor::<(D<5>, D<2>, D<32>)>::randn(); // (time, batch, features)
    // The memory of a batch of 3 sequences for a target batch of 2.
    let memory = Tensor::<(D<9>, D<3>, D<32>)>::randn();
    let _y = layer.forward_masked(tgt, &memory, &DecoderMasks::none());
}
