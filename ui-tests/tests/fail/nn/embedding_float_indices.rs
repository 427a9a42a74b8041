use typed_torch::{D, Tensor};

fn main() {
    let table = Tensor::<(D<10>, D<4>)>::randn();
    let idx = Tensor::<(D<2>, D<3>)>::zeros();
    let _e = table.embedding(&idx);
}
