use typed_torch::nn::{GroupNorm, Init};
use typed_torch::options::Groups;

fn main() {
    let _gn = GroupNorm::<Groups<4>, 6>::init().unwrap();
}
