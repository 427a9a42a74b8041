use typed_torch::*;

fn main() {
    let x = Tensor::<(Dyn, D<1>, D<4>, D<4>)>::zeros_sized(&[2, 1, 4, 4]).unwrap();
    let w = Tensor::<(D<6>, D<1>, D<5>, D<5>)>::randn();
    let _y = x.conv2d(&w, None, ());
}
