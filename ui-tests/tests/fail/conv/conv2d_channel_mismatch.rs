use typed_torch::{D, Dyn, Tensor};

fn main() {
    let x = Tensor::<(Dyn, D<3>, D<28>, D<28>)>::zeros_dyn(&[2]).unwrap();
    let w = Tensor::<(D<6>, D<1>, D<5>, D<5>)>::randn();
    let _y = x.conv2d(&w, None, ());
}
