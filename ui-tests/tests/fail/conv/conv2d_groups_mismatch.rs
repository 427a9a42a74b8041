use typed_torch::options::{Groups, Padding};
use typed_torch::{D, Tensor};

fn main() {
    let x = Tensor::<(D<1>, D<8>, D<10>, D<10>)>::zeros();
    let w = Tensor::<(D<8>, D<2>, D<3>, D<3>)>::randn();
    let _y = x.conv2d(&w, None, (Padding::<1>, Groups::<3>));
}
