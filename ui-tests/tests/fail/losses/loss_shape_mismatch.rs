use typed_torch::loss::{self, Mean};
use typed_torch::{D, Tensor};

fn main() {
    let pred = Tensor::<(D<4>, D<3>)>::zeros();
    let target = Tensor::<(D<4>, D<2>)>::zeros();
    let _l = loss::mse(&pred, &target, Mean);
}
