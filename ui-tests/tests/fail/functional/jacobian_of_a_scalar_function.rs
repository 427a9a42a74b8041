use typed_torch::functional::jacobian;
use typed_torch::{Tensor, D};

fn main() {
    let x = Tensor::<(D<3>,), f64>::ones();
    // A scalar function's derivative is its gradient: `grad`, not `jacobian`.
    let _j = jacobian(|x: Tensor<(D<3>,), f64>| x.square().sum_all(), &x);
}
