use typed_torch::nn::Conv2d;

fn main() {
    // groups=4 cannot split 6 input channels.
    let _conv = Conv2d::<6, 8, 3, 1, 0, 1, 4>::new();
}
