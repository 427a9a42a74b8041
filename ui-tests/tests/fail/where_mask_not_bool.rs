use typed_torch::*;

fn main() {
    let x = Tensor::<(D<3>,)>::zeros();
    let _y = x.where_(&x, &x);
}
