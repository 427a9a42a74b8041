use typed_torch::{D, Dyn, Tensor};

fn main() {
    let a = Tensor::<(Dyn, D<3>)>::zeros_dyn(&[2]).unwrap();
    let b = Tensor::<(D<4>,)>::zeros();
    let _c = &a + &b;
}
