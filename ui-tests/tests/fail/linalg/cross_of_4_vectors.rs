use typed_torch::linalg::R;

fn main() {
    let u = R::<4, f64>::ones();
    let v = R::<4, f64>::ones();
    // Cross products exist for 3-vectors only.
    let _w = u.cross(&v);
}
