use typed_torch::nn::{GcnConv, Init};
use typed_torch::options::MeanHeads;

fn main() {
    // Heads are an attention layer's; a GCN layer has none.
    let _conv = GcnConv::<16, 8, MeanHeads>::init().unwrap();
}
