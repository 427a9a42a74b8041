use typed_torch::nn::{Init, Lstm, Module};
use typed_torch::options::Bidirectional;
use typed_torch::{D, Dyn, HList, Tensor};

fn main() {
    // A bidirectional layer outputs 2 x 16 features; the next layer must take 32, not 16.
    let net = <HList![Lstm<8, 16, Bidirectional>, Lstm<16, 16>]>::init().unwrap();
    let x = Tensor::<(Dyn, Dyn, D<8>)>::zeros_dyn(&[5, 2]).unwrap();
    let _y = net.forward(x);
}
