use typed_torch::nn::GroupNorm;

fn main() {
    let _gn = GroupNorm::<4, 6>::new();
}
