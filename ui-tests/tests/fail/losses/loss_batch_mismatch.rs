use typed_torch::loss::{self, Mean};
use typed_torch::{D, Tensor};

fn main() {
    let logits = Tensor::<(D<4>, D<10>)>::zeros();
    let labels = Tensor::<(D<8>,), i64>::zeros();
    let _l = loss::cross_entropy(&logits, &labels, Mean);
}
