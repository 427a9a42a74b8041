use typed_torch::{D, Tensor};

fn main() {
    let x = Tensor::<(D<3>,)>::zeros();
    let _y = x.where_(&x, &x);
}
