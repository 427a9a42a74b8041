use typed_torch::linalg::{L, R};

fn main() {
    let m = L::<2, 3, f64>::ones();
    let v = R::<2, f64>::ones();
    // A 2 x 3 matrix multiplies vectors of 3.
    let _y = m.mv(&v);
}
