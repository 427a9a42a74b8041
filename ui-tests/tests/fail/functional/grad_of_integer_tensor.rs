use typed_torch::functional::grad;
use typed_torch::{Tensor, D};

fn main() {
    // Class indices have no gradient.
    let labels = Tensor::<(D<4>,), i64>::zeros();
    let _g = grad(|y: Tensor<(D<4>,), i64>| y.to_kind::<f32>().sum_all(), &labels);
}
