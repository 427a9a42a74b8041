use typed_torch::options::{OutputPadding, Padding, Stride};
use typed_torch::{D, Tensor};

fn main() {
    let x = Tensor::<(D<1>, D<8>, D<14>, D<14>)>::randn();
    let w = Tensor::<(D<4>, D<4>, D<3>, D<3>)>::randn();
    let _y = x.conv_transpose2d(&w, None, (Stride::<2>, Padding::<1>, OutputPadding::<1>));
}
