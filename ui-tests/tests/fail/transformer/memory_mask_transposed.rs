use typed_torch::nn::{AttnMask, DecoderMasks, Init, TransformerDecoderLayer};
use typed_torch::options::{BatchFirst, Heads};
use typed_torch::{D, Tensor};

fn main() {
    let layer = TransformerDecoderLayer::<16, Heads<2>, 32, BatchFirst>::init().unwrap();
    let tgt = Tensor::<(D<2>, D<5>, D<16>)>::randn();
    let memory = Tensor::<(D<2>, D<9>, D<16>)>::randn();
    // The memory mask is (target steps, memory steps) = (5, 9), not (9, 5).
    let ignore = Tensor::<(D<9>, D<5>), bool>::zeros();
    let masks = DecoderMasks { memory_mask: Some(AttnMask::from_bool(&ignore)), ..Default::default() };
    let _y = layer.forward_masked(tgt, &memory, &masks);
}
