use typed_torch::loss::{self, Mean};
use typed_torch::{D, Tensor};

fn main() {
    let logits = Tensor::<(D<4>, D<10>)>::zeros();
    let labels = Tensor::<(D<4>,)>::zeros(); // f32, not class indices
    let _l = loss::cross_entropy(&logits, &labels, Mean);
}
