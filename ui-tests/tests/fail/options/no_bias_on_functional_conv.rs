use typed_torch::options::NoBias;
use typed_torch::{D, Tensor};

fn main() {
    let x = Tensor::<(D<1>, D<3>, D<32>, D<32>)>::zeros();
    let w = Tensor::<(D<8>, D<3>, D<3>, D<3>)>::zeros();
    // The functional op takes the bias as an argument: `None` is "no bias".
    let _y = x.conv2d(&w, None, NoBias);
}
