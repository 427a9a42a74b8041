use typed_torch::nn::MultiheadAttention;

fn main() {
    // 3 heads cannot split a 16-dim model evenly.
    let _mha = MultiheadAttention::<16, 3>::new();
}
