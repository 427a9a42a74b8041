use typed_torch::nn::{Init, TransformerEncoderLayer};
use typed_torch::options::{Heads, KDim};

fn main() {
    // `KDim` is an option of `MultiheadAttention`; a Transformer layer's attention is self-attention of its own width.
    let _layer = TransformerEncoderLayer::<32, Heads<4>, 64, KDim<16>>::init().unwrap();
}
