use typed_torch::nn::{Conv2d, Init};
use typed_torch::options::{OutputPadding, Stride};

fn main() {
    // Output padding belongs to transposed convolutions.
    let _conv = Conv2d::<3, 16, 3, (Stride<2>, OutputPadding<1>)>::init();
}
