use typed_torch::*;

fn main() {
    let a = Tensor::<(Dyn, D<3>)>::zeros_sized(&[2, 3]).unwrap();
    let b = Tensor::<(D<4>,)>::zeros();
    let _c = &a + &b;
}
