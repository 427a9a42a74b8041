use typed_torch::linalg::Sq;

fn main() {
    let m = Sq::<3, f64>::ones();
    // Cholesky needs a matrix known to be symmetric: `sym(&m).chol()`.
    let _l = m.chol();
}
