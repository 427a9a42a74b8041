use typed_torch::nn::{AttnMask, EncoderMasks, Init, TransformerEncoderLayer};
use typed_torch::options::{BatchFirst, Heads};
use typed_torch::{D, Tensor};

fn main() {
    let layer = TransformerEncoderLayer::<32, Heads<4>, 64, BatchFirst>::init().unwrap();
    let x = Tensor::<(D<2>, D<5>, D<32>)>::randn();
    // A causal mask for 4 steps, but the sequences have 5.
    let masks = EncoderMasks { mask: Some(AttnMask::<D<4>, D<4>>::causal()), ..Default::default() };
    let _y = layer.forward_masked(x, &masks);
}
