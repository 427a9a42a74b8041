use typed_torch::loss::{self, Mean};
use typed_torch::{D, Tensor};

fn main() {
    let pred = Tensor::<(D<4>,), i64>::zeros();
    let _l = loss::mse(&pred, &pred, Mean);
}
