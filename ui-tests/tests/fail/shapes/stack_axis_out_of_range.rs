use typed_torch::{D, Tensor};

fn main() {
    let a = Tensor::<(D<2>, D<3>)>::zeros();
    let _s = Tensor::stack::<3, 2>([&a, &a]);
}
