use typed_torch::nn::{EncoderMasks, Init, KeyPaddingMask, TransformerEncoderLayer};
use typed_torch::options::{BatchFirst, Heads};
use typed_torch::{D, Tensor};

fn main() {
    let layer = TransformerEncoderLayer::<32, Heads<4>, 64, BatchFirst>::init().unwrap();
    let x = Tensor::<(D<2>, D<5>, D<32>)>::randn();
    // Padding for a batch of 3 sequences, but the batch has 2.
    let pad = KeyPaddingMask::<D<3>, D<5>>::from_lengths(&[5, 3, 4]).unwrap();
    let masks = EncoderMasks { key_padding: Some(pad), ..Default::default() };
    let _y = layer.forward_masked(x, &masks);
}
