use typed_torch::functional::grad;
use typed_torch::{Tensor, D};

fn main() {
    // A gradient is of a scalar; a vector output needs `vjp` or `jacobian`.
    let x = Tensor::<(D<3>,), f64>::ones();
    let _g = grad(|x: Tensor<(D<3>,), f64>| x.square(), &x);
}
