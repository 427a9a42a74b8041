use typed_torch::nn::{Init, LstmCell, LstmCellState};
use typed_torch::{D, Tensor};

fn main() {
    // A cell with hidden size 8 steps from a state of 8 features, not 16.
    let cell = LstmCell::<4, 8>::init().unwrap();
    let x = Tensor::<(D<2>, D<4>)>::zeros();
    let state = LstmCellState::<D<2>, 16> {
        h: Tensor::zeros(),
        c: Tensor::zeros(),
    };
    let _ = cell.step(&x, Some(&state));
}
