use typed_torch::nn::{Init, TransformerEncoderLayer};
use typed_torch::options::{Heads, NormFirst};

fn main() {
    // `NormFirst` given twice.
    let _layer = TransformerEncoderLayer::<32, Heads<4>, 64, (NormFirst, NormFirst)>::init().unwrap();
}
