use typed_torch::{D, Tensor};

fn main() {
    let x = Tensor::<(D<2>, D<3>)>::zeros();
    let _y: Tensor<(D<5>,)> = x.reshape();
}
