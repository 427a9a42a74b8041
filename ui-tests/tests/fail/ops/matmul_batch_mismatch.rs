use typed_torch::{D, Tensor};

fn main() {
    let a = Tensor::<(D<4>, D<2>, D<3>)>::zeros();
    let b = Tensor::<(D<5>, D<3>, D<6>)>::zeros();
    let _c = a.matmul(&b);
}
