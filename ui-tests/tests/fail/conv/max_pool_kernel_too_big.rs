use typed_torch::options::Kernel;
use typed_torch::{D, Dyn, Tensor};

fn main() {
    let x = Tensor::<(Dyn, D<3>, D<2>, D<2>)>::zeros_dyn(&[1]).unwrap();
    let _y = x.max_pool2d(Kernel::<3>, ());
}
