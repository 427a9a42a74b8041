use typed_torch::functional::hessian;
use typed_torch::{Tensor, D};

fn main() {
    // A Hessian is of a scalar function; a vector function has one per output (`jacobian` of
    // its gradient, or `hessian` of each output).
    let x = Tensor::<(D<3>,), f64>::ones();
    let _h = hessian(|x: Tensor<(D<3>,), f64>| x.square(), &x);
}
