use typed_torch::nn::{Init, Module, Transformer};
use typed_torch::options::{BatchFirst, Heads};
use typed_torch::{D, Tensor};

fn main() {
    let model = Transformer::<16, Heads<2>, 2, 2, 32, BatchFirst>::init().unwrap();
    let src = Tensor::<(D<3>, D<7>, D<16>)>::randn();
    // Sources and targets are pairs: a batch of 3 sources for 4 targets.
    let tgt = Tensor::<(D<4>, D<5>, D<16>)>::randn();
    let _y = model.forward((src, tgt));
}
