use typed_torch::{D, Dyn, Tensor};

fn main() {
    let x = Tensor::<(Dyn, D<784>)>::zeros_dyn(&[8]).unwrap();
    let w1 = Tensor::<(D<784>, D<128>)>::randn();
    let b1 = Tensor::<(D<128>,)>::zeros();
    let w2 = Tensor::<(D<64>, D<10>)>::randn();
    let h = (x.matmul(&w1) + &b1).relu();
    let _logits = h.matmul(&w2);
}
