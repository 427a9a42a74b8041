use typed_torch::{D, Tensor};

fn main() {
    let a = Tensor::<(D<2>, D<3>, D<4>)>::zeros();
    let b = Tensor::<(D<5>, D<1>)>::zeros();
    let _c = a * b;
}
