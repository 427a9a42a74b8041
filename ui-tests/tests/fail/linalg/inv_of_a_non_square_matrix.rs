use typed_torch::linalg::L;

fn main() {
    let m = L::<2, 3, f64>::ones();
    // A 2 x 3 matrix has a pseudo-inverse (`pinv`), not an inverse.
    let _i = m.inv();
}
