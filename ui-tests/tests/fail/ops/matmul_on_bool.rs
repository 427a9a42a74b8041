use typed_torch::{D, Tensor};

fn main() {
    let x = Tensor::<(D<2>, D<3>)>::zeros().gt_scalar(0.0);
    let w = Tensor::<(D<3>, D<4>)>::zeros().gt_scalar(0.0);
    let _y = x.matmul(&w);
}
