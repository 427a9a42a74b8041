use typed_torch::options::Kernel;
use typed_torch::{D, Tensor};

fn main() {
    let x = Tensor::<(D<3>, D<8>, D<8>)>::zeros();
    let _y = x.avg_pool2d(Kernel::<2>, ());
}
