use typed_torch::nn::{Init, Linear, Module, TransformerEncoderLayer};
use typed_torch::options::{BatchFirst, Heads};
use typed_torch::{D, Tensor, hlist};

fn main() {
    // The head takes the feed-forward width 64, but the layer gives back its model width 32.
    let model = hlist![
        TransformerEncoderLayer::<32, Heads<4>, 64, BatchFirst>::init().unwrap(),
        Linear::<64, 10>::init().unwrap()
    ];
    let _logits = model.forward(Tensor::<(D<2>, D<5>, D<32>)>::randn());
}
