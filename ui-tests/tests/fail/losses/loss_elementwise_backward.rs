use typed_torch::loss::{self, Elementwise};
use typed_torch::{D, Tensor};

fn main() {
    let pred = Tensor::<(D<4>,)>::zeros().requires_grad();
    // One loss per element: reduce it before backward.
    loss::mse(&pred, &pred.zeros_like(), Elementwise).backward();
}
