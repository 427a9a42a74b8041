use typed_torch::linalg::R;

fn main() {
    let v = R::<3, f64>::ones();
    // Decompositions take matrices (or batches of them), not vectors.
    let _qr = v.qr();
}
