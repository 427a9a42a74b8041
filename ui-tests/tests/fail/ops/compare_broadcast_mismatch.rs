use typed_torch::{D, Tensor};

fn main() {
    let a = Tensor::<(D<2>, D<3>)>::zeros();
    let b = Tensor::<(D<2>,)>::zeros();
    let _m = a.gt(&b);
}
