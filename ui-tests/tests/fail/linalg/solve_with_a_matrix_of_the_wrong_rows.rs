use typed_torch::linalg::{Sq, L};

fn main() {
    let a = Sq::<3, f64>::ones();
    let b = L::<4, 2, f64>::ones();
    // Two right-hand sides of 4 rows for a 3 x 3 system.
    let _x = a.solve(&b);
}
