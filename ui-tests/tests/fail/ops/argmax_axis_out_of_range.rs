use typed_torch::{D, Tensor};

fn main() {
    let x = Tensor::<(D<4>, D<10>)>::zeros();
    let _i = x.argmax::<2>();
}
