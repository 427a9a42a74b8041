use typed_torch::nn::{Conv2d, Init};
use typed_torch::options::{Padding, Stride};

fn main() {
    // Two strides: which one was meant?
    let _conv = Conv2d::<3, 16, 3, (Stride<2>, Padding<1>, Stride<1>)>::init();
}
