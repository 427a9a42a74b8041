use typed_torch::{D, Tensor};

fn main() {
    let x = Tensor::<(D<2>, D<3>, D<4>)>::zeros();
    let _y = x.flatten::<2, 1>();
}
