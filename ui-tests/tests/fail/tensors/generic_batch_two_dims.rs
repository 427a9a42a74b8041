use typed_torch::{D, Dim, Dyn, Tensor};

// Two independent batch dims may differ, so broadcasting them needs a bound; rustc's suggestion
// names `typed_torch::BroadcastDim`, which resolves (see `pass/generic_batch.rs`).
fn add<B: Dim, C: Dim>(x: &Tensor<(B, D<4>)>, y: &Tensor<(C, D<4>)>) -> Tensor<()> {
    (x + y).sum_all()
}

fn main() {
    let _ = add::<Dyn, D<1>>;
}
