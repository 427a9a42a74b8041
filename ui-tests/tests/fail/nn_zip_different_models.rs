use typed_torch::nn::{Linear, ParamMap};

fn main() {
    let a = Linear::<4, 2>::new();
    let b = Linear::<4, 3>::new();
    let _c = a.zip_params(&b, |x, y| x - y);
}
