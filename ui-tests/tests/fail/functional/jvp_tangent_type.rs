use typed_torch::functional::jvp;
use typed_torch::{Tensor, D};

fn main() {
    let x = Tensor::<(D<3>,), f64>::ones();
    // A tangent is a direction in the input's space: same type as the input.
    let t = Tensor::<(D<2>,), f64>::ones();
    let _ = jvp(|x: Tensor<(D<3>,), f64>| x.tanh(), &x, &t);
}
