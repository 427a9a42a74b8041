use typed_torch::nn::{Gru, HiddenState, Init};
use typed_torch::{D, Tensor};

fn main() {
    // The state of a GRU with hidden size 16 is (D<1>, B, D<16>).
    let gru = Gru::<4, 16>::init().unwrap();
    let x = Tensor::<(D<5>, D<3>, D<4>)>::zeros();
    let h = HiddenState { h: Tensor::<(D<1>, D<3>, D<8>)>::zeros() };
    let _ = gru.forward_with_state(x, Some(&h));
}
