//! A Dyn batch flows through matmul, bias, activations and reductions; static dims stay static.
use typed_torch::{D, Dyn, Tensor};

fn main() {
    let x = Tensor::<(Dyn, D<4>)>::ones_dyn(&[3]).unwrap();
    let w = Tensor::<(D<4>, D<2>)>::full(0.5);
    let b = Tensor::<(D<2>,)>::from_array([1.0, -1.0]);
    let h: Tensor<(Dyn, D<2>)> = x.matmul(&w) + &b;
    assert_eq!(h.size(), vec![3, 2]);
    assert_eq!(h.to_vec(), vec![3.0, 1.0, 3.0, 1.0, 3.0, 1.0]);
    let p: Tensor<(Dyn, D<2>)> = h.relu().softmax::<1>();
    let row_sums: Tensor<(Dyn,)> = p.sum::<1>();
    assert!(row_sums.to_vec().iter().all(|s| (s - 1.0).abs() < 1e-6));
    let per_feature: Tensor<(D<2>,)> = h.sum::<0>();
    assert_eq!(per_feature.to_vec(), vec![9.0, 3.0]);
    let kept: Tensor<(Dyn, D<1>)> = h.max_keepdim::<1>();
    assert_eq!(kept.to_vec(), vec![3.0, 3.0, 3.0]);
    let fixed: Tensor<(D<3>, D<2>)> = h.to_shape().unwrap();
    assert!(fixed.to_shape::<(D<4>, D<2>)>().is_err());
    let flat: Tensor<(Dyn,)> = h.try_reshape().unwrap();
    assert_eq!(flat.numel(), 6);
}
