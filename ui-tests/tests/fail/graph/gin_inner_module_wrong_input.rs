use typed_torch::graph::Edges;
use typed_torch::nn::{GinConv, Init, Linear, Module, ReLU};
use typed_torch::{D, Dyn, HList, Tensor};

fn main() {
    let gin = GinConv::<HList![Linear<8, 16>, ReLU, Linear<16, 16>]>::init().unwrap();
    let edges = Edges::from_pairs(&[(0, 1), (1, 2)], 3).unwrap();
    // The inner MLP takes 8 features; the nodes have 4.
    let x = Tensor::<(Dyn, D<4>)>::zeros_dyn(&[3]).unwrap();
    let _h = gin.forward((x, &edges));
}
