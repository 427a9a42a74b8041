use typed_torch::nn::{GlobalMeanPool, Module};
use typed_torch::{D, Dyn, Tensor};

fn main() {
    let h = Tensor::<(Dyn, D<16>)>::zeros_dyn(&[7]).unwrap();
    // Which graph is each node in? Pooling needs the batch vector with the features.
    let _pooled = GlobalMeanPool.forward(h);
}
