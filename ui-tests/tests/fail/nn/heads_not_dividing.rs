use typed_torch::nn::{Init, MultiheadAttention};
use typed_torch::options::Heads;

fn main() {
    // 3 heads cannot split a 16-dim model evenly.
    let _mha = MultiheadAttention::<16, Heads<3>>::init().unwrap();
}
