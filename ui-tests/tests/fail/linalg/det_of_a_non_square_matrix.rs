use typed_torch::linalg::L;

fn main() {
    let m = L::<3, 4, f64>::ones();
    // Only square matrices have determinants.
    let _d = m.det();
}
