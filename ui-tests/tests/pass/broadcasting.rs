//! Numpy broadcasting in the type: D<1> stretches, missing leading axes are added, Dyn meets static.
use typed_torch::{D, Dyn, Tensor};

fn main() {
    let col = Tensor::<(D<3>, D<1>)>::from_array([[1.0], [2.0], [3.0]]);
    let row = Tensor::<(D<4>,)>::from_array([10.0, 20.0, 30.0, 40.0]);
    let grid: Tensor<(D<3>, D<4>)> = &col + &row;
    assert_eq!(grid.to_vec()[..4], [11.0, 21.0, 31.0, 41.0]);
    assert_eq!(grid.to_vec()[8..], [13.0, 23.0, 33.0, 43.0]);

    let batch = Tensor::<(Dyn, D<1>, D<4>)>::ones_dyn(&[2]).unwrap();
    let scaled: Tensor<(Dyn, D<3>, D<4>)> = &batch * &grid;
    assert_eq!(scaled.size(), vec![2, 3, 4]);

    let d = Tensor::<(Dyn, D<4>)>::zeros_dyn(&[5]).unwrap();
    let one = Tensor::<(D<1>, Dyn)>::ones_dyn(&[4]).unwrap();
    let both: Tensor<(Dyn, D<4>)> = &d - &one;
    assert_eq!(both.size(), vec![5, 4]);

    let mask: Tensor<(D<3>, D<4>), bool> = grid.gt(&Tensor::<(D<1>,)>::full(25.0));
    let picked: Tensor<(D<3>, D<4>)> = mask.where_(&grid, &Tensor::<(D<1>, D<1>)>::zeros());
    assert_eq!(picked.to_vec()[..4], [0.0, 0.0, 31.0, 41.0]);
    let m: Tensor<(D<3>, D<4>)> = grid.maximum(&Tensor::<(D<4>,)>::full(30.0));
    assert_eq!(m.to_vec()[..4], [30.0, 30.0, 31.0, 41.0]);
    let s: Tensor<(D<3>, D<4>)> = (grid * 2.0) / 2.0;
    assert_eq!(s.to_vec()[0], 11.0);
}
