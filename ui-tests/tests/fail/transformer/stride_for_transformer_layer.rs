use typed_torch::nn::{Init, TransformerDecoderLayer};
use typed_torch::options::{BatchFirst, Heads, Stride};

fn main() {
    // A convolution's option in a Transformer layer's set.
    let _layer = TransformerDecoderLayer::<32, Heads<4>, 64, (BatchFirst, Stride<2>)>::init().unwrap();
}
