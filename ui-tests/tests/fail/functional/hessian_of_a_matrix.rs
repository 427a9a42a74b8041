use typed_torch::functional::hessian;
use typed_torch::{Tensor, D};

fn main() {
    // `hessian` takes a vector; flatten a matrix first.
    let x = Tensor::<(D<2>, D<2>), f64>::ones();
    let _h = hessian(|x: Tensor<(D<2>, D<2>), f64>| x.square().sum_all(), &x);
}
