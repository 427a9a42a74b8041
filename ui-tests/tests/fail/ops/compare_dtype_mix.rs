use typed_torch::{D, Tensor};

fn main() {
    let a = Tensor::<(D<3>,), f32>::zeros();
    let b = Tensor::<(D<3>,), i64>::zeros();
    let _m = a.lt(&b);
}
