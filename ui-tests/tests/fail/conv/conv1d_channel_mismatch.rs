use typed_torch::{D, Tensor};

fn main() {
    let x = Tensor::<(D<2>, D<4>, D<10>)>::randn();
    let w = Tensor::<(D<8>, D<3>, D<3>)>::randn();
    let _y = x.conv1d(&w, None, ());
}
