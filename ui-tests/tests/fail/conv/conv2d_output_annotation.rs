use typed_torch::{D, Dyn, Tensor};

fn main() {
    let x = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_dyn(&[2]).unwrap();
    let w = Tensor::<(D<6>, D<1>, D<5>, D<5>)>::randn();
    let _y: Tensor<(Dyn, D<6>, D<28>, D<28>)> = x.conv2d(&w, None, ());
}
