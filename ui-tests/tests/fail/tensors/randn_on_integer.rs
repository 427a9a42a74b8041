use typed_torch::{D, Tensor};

fn main() {
    let _x = Tensor::<(D<2>, D<3>), i64>::randn();
}
