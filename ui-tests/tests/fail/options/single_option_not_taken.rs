use typed_torch::nn::{Init, Linear};
use typed_torch::options::Stride;

fn main() {
    // A linear layer has no stride.
    let _fc = Linear::<784, 10, Stride<2>>::init();
}
