use typed_torch::nn::{Init, TransformerEncoderLayer};
use typed_torch::options::Heads;

fn main() {
    // 4 heads cannot split a 30-wide model evenly (PyTorch: "embed_dim must be divisible by num_heads").
    let _layer = TransformerEncoderLayer::<30, Heads<4>, 64>::init().unwrap();
}
