use typed_torch::nn::{Gru, Init};
use typed_torch::options::ProjSize;

fn main() {
    // proj_size exists for LSTMs only.
    let _gru = Gru::<4, 8, ProjSize<4>>::init();
}
