use typed_torch::*;

fn main() {
    let x = Tensor::<(Dyn, D<3>, D<28>, D<28>)>::zeros_sized(&[2, 3, 28, 28]).unwrap();
    let w = Tensor::<(D<6>, D<1>, D<5>, D<5>)>::randn();
    let _y = x.conv2d(&w, None, ());
}
