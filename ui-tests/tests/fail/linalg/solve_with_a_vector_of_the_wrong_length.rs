use typed_torch::linalg::{Sq, R};

fn main() {
    let a = Sq::<3, f64>::ones();
    let b = R::<4, f64>::ones();
    // A 3 x 3 system takes a right-hand side of 3 entries.
    let _x = a.solve(&b);
}
