use typed_torch::linalg::R;

fn main() {
    let u = R::<3, f64>::ones();
    let v = R::<4, f64>::ones();
    let _d = u.dot(&v);
}
