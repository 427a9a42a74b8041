//! Autograd from a rank-0 loss, and the indexing ops with i64 indices.
use typed_torch::{D, Dyn, SelectBy, Tensor};

fn main() {
    let w = Tensor::<(D<3>, D<2>)>::ones().requires_grad();
    let x = Tensor::<(Dyn, D<3>)>::ones_dyn(&[4]).unwrap();
    let loss: Tensor<()> = x.matmul(&w).sum_all();
    loss.backward();
    let g: Tensor<(D<3>, D<2>)> = w.grad().unwrap();
    assert_eq!(g.to_vec(), vec![4.0; 6]);

    let v = Tensor::<(D<5>,), i64>::arange();
    let n: Tensor<(D<2>,), i64> = v.narrow::<0, 3, 2>();
    assert_eq!(n.to_vec(), vec![3, 4]);
    let idx = Tensor::<(D<3>,), i64>::from_array([4, 0, 4]);
    let sel: Tensor<(D<3>,), i64> = v.index_select::<0>(&idx);
    assert_eq!(sel.to_vec(), vec![4, 0, 4]);
    let m = Tensor::<(D<2>, D<3>), i64>::from_array([[1, 2, 3], [4, 5, 6]]);
    let gi = Tensor::<(D<2>, D<1>), i64>::from_array([[2], [0]]);
    let gathered: Tensor<(D<2>, D<1>), i64> = m.gather::<1>(&gi);
    assert_eq!(gathered.to_vec(), vec![3, 4]);
    let oh: Tensor<(D<3>, D<5>), i64> = idx.one_hot::<5>();
    assert_eq!(oh.sum_all().item(), 3);
    let table = Tensor::<(D<5>, D<2>)>::ones();
    let e: Tensor<(D<3>, D<2>)> = table.embedding(&idx);
    assert_eq!(e.to_vec(), vec![1.0; 6]);
    let s: Tensor<(D<2>, D<3>)> = Tensor::stack::<0, 2>([&e.t(), &e.t()]).sum::<1>();
    assert_eq!(s.to_vec(), vec![2.0; 6]);
    let dr = e.dropout(0.5, false);
    assert_eq!(dr.to_vec(), vec![1.0; 6]);
}
