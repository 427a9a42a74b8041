use typed_torch::linalg::Sq;

fn main() {
    let m = Sq::<4, f64>::ones();
    // `eigensystem` is for symmetric matrices, whose eigenvalues are real.
    let _e = m.eigensystem();
}
