use typed_torch::linalg::{Sym, L};

fn main() {
    let m = L::<5, 3, f64>::ones();
    // m^T m is 3 x 3 (columns by columns), not 5 x 5.
    let _g: Sym<5, f64> = m.mtm();
}
