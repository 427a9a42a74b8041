use typed_torch::{D, Tensor};

fn main() {
    let x = Tensor::<(D<2>, D<3>), i64>::zeros();
    let _p = x.softmax::<1>();
}
