use typed_torch::nn::{EncoderMasks, Init, KeyPaddingMask, TransformerEncoderLayer};
use typed_torch::options::Heads;
use typed_torch::{D, Tensor};

fn main() {
    let layer = TransformerEncoderLayer::<32, Heads<4>, 64>::init().unwrap();
    let x = Tensor::<(D<7>, D<2>, D<32>)>::randn(); // (time, batch, features)
    // Padding laid out like the input, (time, batch); it is (batch, time) in every layout.
    let pad = KeyPaddingMask::<D<7>, D<2>>::additive_from(Tensor::zeros());
    let masks = EncoderMasks { key_padding: Some(pad), ..Default::default() };
    let _y = layer.forward_masked(x, &masks);
}
