use typed_torch::nn::{Init, Tanh, TransformerEncoderLayer};
use typed_torch::options::{Activation, Heads};

fn main() {
    // PyTorch's Transformer layers take "relu" or "gelu" only.
    let _layer = TransformerEncoderLayer::<32, Heads<4>, 64, Activation<Tanh>>::init().unwrap();
}
