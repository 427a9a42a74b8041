use typed_torch::{D, Tensor};

fn main() {
    let x = Tensor::<(D<2>, D<3>)>::zeros();
    let mask = x.gt_scalar(0.0);
    let other = Tensor::<(D<4>,)>::ones();
    let _y = mask.where_(&x, &other);
}
