use typed_torch::nn::{Init, Lstm, LstmState};
use typed_torch::options::NumLayers;
use typed_torch::{D, Tensor};

fn main() {
    // Two layers need a state of (D<2>, B, D<16>); this one holds one layer's.
    let lstm = Lstm::<8, 16, NumLayers<2>>::init().unwrap();
    let x = Tensor::<(D<5>, D<3>, D<8>)>::zeros();
    let state = LstmState {
        h: Tensor::<(D<1>, D<3>, D<16>)>::zeros(),
        c: Tensor::<(D<1>, D<3>, D<16>)>::zeros(),
    };
    let _ = lstm.forward_with_state(x, Some(&state));
}
