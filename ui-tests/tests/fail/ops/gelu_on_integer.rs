use typed_torch::{D, Tensor};

fn main() {
    let x = Tensor::<(D<4>,), i32>::zeros();
    let _y = x.gelu();
}
