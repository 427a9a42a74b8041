use typed_torch::{D, Tensor};

fn main() {
    let x = Tensor::<(D<4>,), i64>::zeros();
    let _y = x.dropout(0.5, true);
}
