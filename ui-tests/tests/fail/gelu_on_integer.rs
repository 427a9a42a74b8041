use typed_torch::*;

fn main() {
    let x = Tensor::<(D<4>,), i32>::zeros();
    let _y = x.gelu();
}
