use typed_torch::nn::{Init, Lstm, Module};
use typed_torch::options::{BatchFirst, Bidirectional};
use typed_torch::{D, Dyn, Tensor};

fn main() {
    // Both directions' outputs are concatenated: 2 x 16 features.
    let lstm = Lstm::<4, 16, (Bidirectional, BatchFirst)>::init().unwrap();
    let x = Tensor::<(Dyn, D<10>, D<4>)>::zeros_dyn(&[2]).unwrap();
    let _y: Tensor<(Dyn, D<10>, D<16>)> = lstm.forward(x);
}
