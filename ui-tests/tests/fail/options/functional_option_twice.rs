use typed_torch::options::Padding;
use typed_torch::{D, Tensor};

fn main() {
    let x = Tensor::<(D<1>, D<3>, D<32>, D<32>)>::zeros();
    let w = Tensor::<(D<8>, D<3>, D<3>, D<3>)>::zeros();
    let _y = x.conv2d(&w, None, (Padding::<1>, Padding::<2>));
}
