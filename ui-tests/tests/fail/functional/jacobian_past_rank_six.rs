use typed_torch::functional::jacobian;
use typed_torch::{Tensor, D};

fn main() {
    // The Jacobian of a rank-4 input by a rank-3 output would be rank 7; tensors stop at 6.
    let x = Tensor::<(D<2>, D<2>, D<2>, D<2>), f64>::ones();
    let _j = jacobian(
        |x: Tensor<(D<2>, D<2>, D<2>, D<2>), f64>| x.sum::<3>(),
        &x,
    );
}
