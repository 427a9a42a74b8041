use typed_torch::nn::{Conv2d, Init};
use typed_torch::options::Groups;

fn main() {
    // groups=4 cannot split 6 input channels.
    let _conv = Conv2d::<6, 8, 3, Groups<4>>::init().unwrap();
}
