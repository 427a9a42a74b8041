use typed_torch::functional::grad;
use typed_torch::{Tensor, D};

fn main() {
    let x = Tensor::<(D<3>,), f64>::ones();
    // The gradient of an f64 vector is an f64 vector, not an f32 one.
    let _g: Tensor<(D<3>,), f32> = grad(|x: Tensor<(D<3>,), f64>| x.square().sum_all(), &x);
}
