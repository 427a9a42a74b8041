use typed_torch::{D, Tensor};

fn main() {
    let x = Tensor::<(D<3>,)>::ones();
    let _y = x.gt_scalar(0.5).relu();
}
