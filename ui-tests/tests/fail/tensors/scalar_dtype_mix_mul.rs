use typed_torch::{D, Tensor};

fn main() {
    let a = Tensor::<(D<3>,), f32>::ones();
    let _c = &a * 2.0_f64;
}
