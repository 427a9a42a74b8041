use typed_torch::nn::{GELU, Init, ReLU, TransformerEncoderLayer};
use typed_torch::options::{Activation, Heads};

fn main() {
    // Two activations for one feed-forward block.
    let _layer = TransformerEncoderLayer::<32, Heads<4>, 64, (Activation<GELU>, Activation<ReLU>)>::init().unwrap();
}
