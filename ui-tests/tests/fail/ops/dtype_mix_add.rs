use typed_torch::{D, Tensor};

fn main() {
    let a = Tensor::<(D<3>,), f32>::zeros();
    let b = Tensor::<(D<3>,), f64>::zeros();
    let _c = &a + &b;
}
