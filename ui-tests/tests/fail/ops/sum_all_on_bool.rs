use typed_torch::{D, Tensor};

fn main() {
    let x = Tensor::<(D<3>,)>::zeros().gt_scalar(0.0);
    let _n = x.sum_all();
}
