use typed_torch::{D, Tensor};

fn main() {
    let a = Tensor::<(D<3>,)>::zeros();
    let b = Tensor::<(D<4>,)>::zeros();
    let _s = Tensor::stack::<0, 2>([&a, &b]);
}
