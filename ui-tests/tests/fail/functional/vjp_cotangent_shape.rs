use typed_torch::functional::vjp;
use typed_torch::{Tensor, D};

fn main() {
    let x = Tensor::<(D<3>,), f64>::ones();
    // The output has 3 entries; the cotangent must too.
    let v = Tensor::<(D<4>,), f64>::ones();
    let _ = vjp(|x: Tensor<(D<3>,), f64>| x.tanh(), &x, &v);
}
