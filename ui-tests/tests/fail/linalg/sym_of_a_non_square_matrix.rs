use typed_torch::linalg::{sym, L};

fn main() {
    let m = L::<2, 3, f64>::ones();
    let _s = sym(&m);
}
