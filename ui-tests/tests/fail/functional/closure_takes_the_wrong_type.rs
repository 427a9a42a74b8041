use typed_torch::functional::grad;
use typed_torch::{Tensor, D};

fn main() {
    let w = Tensor::<(D<2>, D<3>), f64>::ones();
    let b = Tensor::<(D<2>,), f64>::zeros();
    // The function takes what it differentiates: here a pair, not the weight alone.
    let _g = grad(|w: Tensor<(D<2>, D<3>), f64>| w.sum_all(), &(w, b));
}
