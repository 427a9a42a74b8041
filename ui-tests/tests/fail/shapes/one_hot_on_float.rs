use typed_torch::{D, Tensor};

fn main() {
    let y = Tensor::<(D<4>,)>::zeros();
    let _h = y.one_hot::<10>();
}
