use typed_torch::nn::{Init, Linear, ParamMap};

fn main() {
    let a = Linear::<4, 2>::init().unwrap();
    let b = Linear::<4, 3>::init().unwrap();
    let _c = a.zip_params(&b, |x, y| x - y);
}
