use typed_torch::*;

fn main() {
    let x = Tensor::<(D<3>,)>::ones();
    let _y = x.gt_scalar(0.5).relu();
}
