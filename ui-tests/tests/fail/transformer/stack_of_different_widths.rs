use typed_torch::nn::{Init, Module, TransformerEncoderLayer};
use typed_torch::options::{BatchFirst, Heads};
use typed_torch::{D, Tensor, hlist};

fn main() {
    // The second layer is 64 wide (its feed-forward width confused for the model's): it cannot take the first's 32.
    let encoder = hlist![
        TransformerEncoderLayer::<32, Heads<4>, 64, BatchFirst>::init().unwrap(),
        TransformerEncoderLayer::<64, Heads<4>, 128, BatchFirst>::init().unwrap()
    ];
    let _y = encoder.forward(Tensor::<(D<2>, D<5>, D<32>)>::randn());
}
