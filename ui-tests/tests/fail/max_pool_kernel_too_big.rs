use typed_torch::*;

fn main() {
    let x = Tensor::<(Dyn, D<3>, D<2>, D<2>)>::zeros_sized(&[1, 3, 2, 2]).unwrap();
    let _y = x.max_pool2d(Kernel::<3>, ());
}
