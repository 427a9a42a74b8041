use typed_torch::{D, Tensor};

fn main() {
    let x = Tensor::<(D<2>, D<3>)>::zeros();
    let _y = x.squeeze::<1>();
}
