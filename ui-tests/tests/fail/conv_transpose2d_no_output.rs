use typed_torch::*;

fn main() {
    let x = Tensor::<(D<1>, D<4>, D<1>, D<1>)>::randn();
    let w = Tensor::<(D<4>, D<2>, D<1>, D<1>)>::randn();
    let _y = x.conv_transpose2d::<1, 1, 0, 1, 1, _, _, _>(&w, None);
}
