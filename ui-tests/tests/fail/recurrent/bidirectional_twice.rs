use typed_torch::nn::{Init, Lstm};
use typed_torch::options::{Bidirectional, NumLayers};

fn main() {
    let _lstm = Lstm::<4, 8, (Bidirectional, NumLayers<2>, Bidirectional)>::init();
}
