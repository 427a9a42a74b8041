use typed_torch::options::Dilation;
use typed_torch::{D, Tensor};

fn main() {
    let x = Tensor::<(D<2>, D<4>, D<10>)>::randn();
    let w = Tensor::<(D<8>, D<4>, D<5>)>::randn();
    // dilation 3: the window spans 3*(5-1)+1 = 13 > 10
    let _y = x.conv1d(&w, None, Dilation::<3>);
}
