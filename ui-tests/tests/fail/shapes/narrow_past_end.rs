use typed_torch::{D, Tensor};

fn main() {
    let x = Tensor::<(D<5>,), i64>::arange();
    let _y = x.narrow::<0, 3, 4>();
}
