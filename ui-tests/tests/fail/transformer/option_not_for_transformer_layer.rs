use typed_torch::nn::{Init, TransformerEncoderLayer};
use typed_torch::options::{Heads, NoBias};

fn main() {
    // `NoBias` is an option of `Linear` and attention; a Transformer layer does not take it.
    let _layer = TransformerEncoderLayer::<32, Heads<4>, 64, NoBias>::init().unwrap();
}
