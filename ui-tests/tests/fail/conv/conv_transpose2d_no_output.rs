use typed_torch::options::Padding;
use typed_torch::{D, Tensor};

fn main() {
    let x = Tensor::<(D<1>, D<4>, D<1>, D<1>)>::randn();
    let w = Tensor::<(D<4>, D<2>, D<1>, D<1>)>::randn();
    let _y = x.conv_transpose2d(&w, None, Padding::<1>);
}
