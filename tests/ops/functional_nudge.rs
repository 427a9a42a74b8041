//! "Nudge" tests, after hmatrix-backprop's: over random shapes and values, every construction of
//! `functional` agrees with finite differences in f64 (central differences, step 1e-6).
use proptest::prelude::*;
use typed_torch::functional::{grad, hessian, jacobian, jacobian_forward, jvp, vjp};
use typed_torch::{Dyn, Tensor, D};

type Matrix = Tensor<(Dyn, Dyn), f64>;
type Vector = Tensor<(Dyn,), f64>;

const STEP: f64 = 1e-6;

/// Central differences of a vector-valued `f` at `x` along `direction`.
fn directional(f: impl Fn(&[f64]) -> Vec<f64>, x: &[f64], direction: &[f64]) -> Vec<f64> {
    let at = |sign: f64| {
        let moved: Vec<f64> = x
            .iter()
            .zip(direction)
            .map(|(v, d)| v + sign * STEP * d)
            .collect();
        f(&moved)
    };
    let (up, down) = (at(1.0), at(-1.0));
    up.iter()
        .zip(&down)
        .map(|(u, d)| (u - d) / (2.0 * STEP))
        .collect()
}

/// Central differences of a scalar `f` in every entry of `x`.
fn nudged(f: impl Fn(&[f64]) -> f64, x: &[f64]) -> Vec<f64> {
    (0..x.len())
        .map(|i| {
            let mut unit = vec![0.0; x.len()];
            unit[i] = 1.0;
            directional(|v| vec![f(v)], x, &unit)[0]
        })
        .collect()
}

fn close(what: &str, exact: &[f64], numeric: &[f64], tol: f64) -> Result<(), TestCaseError> {
    prop_assert_eq!(exact.len(), numeric.len(), "{}: lengths", what);
    for (i, (a, b)) in exact.iter().zip(numeric).enumerate() {
        let scale = 1.0_f64.max(a.abs()).max(b.abs());
        prop_assert!(
            (a - b).abs() <= tol * scale,
            "{what}: entry {i} is {a:e} exactly and {b:e} by nudging"
        );
    }
    Ok(())
}

fn matrix(values: &[f64], rows: usize, cols: usize) -> Matrix {
    Matrix::from_slice_dyn(values, &[rows, cols]).unwrap()
}

fn vector(values: &[f64]) -> Vector {
    Vector::from_slice_dyn(values, &[values.len()]).unwrap()
}

/// A matrix of 1 to 4 rows and columns, entries in [-1.5, 1.5].
fn sized_values() -> impl Strategy<Value = (usize, usize, Vec<f64>)> {
    (1..=4_usize, 1..=4_usize).prop_flat_map(|(r, c)| {
        (
            Just(r),
            Just(c),
            prop::collection::vec(-1.5..1.5_f64, r * c),
        )
    })
}

/// A mixture of most of the float ops, over a matrix, a vector and a scalar.
fn mixture(x: Matrix, v: Vector, s: Tensor<(), f64>) -> Tensor<(), f64> {
    let mixed = x.matmul(&v).tanh() * &s;
    let rows = (x.sigmoid() * x.log_softmax::<1>()).sum_all();
    let columns = x.logsumexp::<0>().softplus().sum_all();
    let smooth = (x.sin() * x.exp()).mean_all() + (v.square() + 1.0).sqrt().sum_all();
    mixed.sum_all() + rows + columns + smooth * s.square()
}

fn mixture_at(values: &[f64], rows: usize, cols: usize) -> f64 {
    let (x, rest) = values.split_at(rows * cols);
    let (v, s) = rest.split_at(cols);
    mixture(matrix(x, rows, cols), vector(v), Tensor::scalar(s[0])).item()
}

proptest! {
    // A failing case is printed, shrunk, rather than written into the source tree.
    #![proptest_config(ProptestConfig {
        cases: 24,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// The gradient over a heterogeneous tuple: every component by nudging that component.
    #[test]
    fn gradients_of_heterogeneous_inputs(
        (rows, cols, x) in sized_values(),
        v in prop::collection::vec(-1.5..1.5_f64, 4),
        s in -1.5..1.5_f64,
    ) {
        let v = &v[..cols];
        let (dx, dv, ds) = grad(
            |(x, v, s)| mixture(x, v, s),
            &(matrix(&x, rows, cols), vector(v), s),
        );
        let all: Vec<f64> = x.iter().chain(v).copied().chain([s]).collect();
        let numeric = nudged(|p| mixture_at(p, rows, cols), &all);
        let exact: Vec<f64> = dx.to_vec().into_iter().chain(dv.to_vec()).chain([ds]).collect();
        close("gradient", &exact, &numeric, 1e-6)?;
    }

    /// `vjp` and `jvp` of a matrix-valued function along random directions.
    #[test]
    fn vector_jacobian_and_jacobian_vector_products(
        (rows, cols, x) in sized_values(),
        seed in prop::collection::vec(-1.0..1.0_f64, 32),
    ) {
        let f = |x: Matrix| x.matmul(&x.t()).tanh() + x.sum_keepdim::<1>().sigmoid();
        let value = |p: &[f64]| f(matrix(p, rows, cols)).to_vec();
        let tangent = &seed[..rows * cols];
        let cotangent = &seed[16..16 + rows * rows];
        let x_t = matrix(&x, rows, cols);

        let (out, along) = jvp(f, &x_t, &matrix(tangent, rows, cols));
        close("jvp", &along.to_vec(), &directional(value, &x, tangent), 1e-6)?;
        prop_assert_eq!(out.size(), vec![rows, rows]);

        let (_, pulled) = vjp(f, &x_t, &matrix(cotangent, rows, rows));
        let weighted = |p: &[f64]| value(p).iter().zip(cotangent).map(|(a, b)| a * b).sum();
        close("vjp", &pulled.to_vec(), &nudged(weighted, &x), 1e-6)?;
    }

    /// Reverse and forward Jacobians of a matrix-to-matrix function: shape `out ++ in`, equal to
    /// each other and to nudging.
    #[test]
    fn jacobians_of_matrices(
        (rows, cols, x) in sized_values(),
    ) {
        let f = |x: Matrix| x.log_softmax::<1>() * x.cos().sum_keepdim::<0>();
        let x_t = matrix(&x, rows, cols);
        let reverse = jacobian(f, &x_t);
        let forward = jacobian_forward(f, &x_t);
        let dims = vec![rows, cols, rows, cols];
        prop_assert_eq!(reverse.size(), dims.clone());
        prop_assert_eq!(forward.size(), dims);
        close("forward against reverse", &forward.to_vec(), &reverse.to_vec(), 1e-12)?;
        // Column j of the flattened Jacobian is the derivative along the j-th input.
        let value = |p: &[f64]| f(matrix(p, rows, cols)).to_vec();
        let n = rows * cols;
        let flat = reverse.to_vec();
        for j in 0..n {
            let mut unit = vec![0.0; n];
            unit[j] = 1.0;
            let column: Vec<f64> = (0..n).map(|i| flat[i * n + j]).collect();
            close("jacobian column", &column, &directional(value, &x, &unit), 1e-6)?;
        }
    }

    /// The Hessian of a matrix function: symmetric, and each row the nudged gradient's.
    #[test]
    fn hessians_of_matrices(
        (rows, cols, x) in sized_values(),
    ) {
        let f = |x: Matrix| (x.exp() * x.sin()).sum_all() + x.logsumexp::<1>().square().sum_all();
        let x_t = matrix(&x, rows, cols);
        let h = hessian(f, &x_t);
        let n = rows * cols;
        prop_assert_eq!(h.size(), vec![rows, cols, rows, cols]);
        let flat = h.to_vec();
        for i in 0..n {
            for j in 0..i {
                prop_assert!((flat[i * n + j] - flat[j * n + i]).abs() < 1e-12, "asymmetric at {i}, {j}");
            }
        }
        let gradient = |p: &[f64]| grad(f, &matrix(p, rows, cols)).to_vec();
        for j in 0..n {
            let mut unit = vec![0.0; n];
            unit[j] = 1.0;
            close("hessian row", &flat[j * n..(j + 1) * n], &directional(gradient, &x, &unit), 1e-6)?;
        }
    }

    /// Nested gradients: the gradient of a gradient's norm, by nudging the inner gradient.
    #[test]
    fn nested_gradients(
        (rows, cols, x) in sized_values(),
    ) {
        let inner = |x: Matrix| (x.tanh() * x.softplus()).sum_all() + x.sum::<0>().square().sum_all();
        let outer = |x: Matrix| grad(inner, &x).square().sum_all();
        let exact = grad(outer, &matrix(&x, rows, cols));
        let numeric = nudged(|p| outer(matrix(p, rows, cols)).item(), &x);
        close("gradient of a gradient", &exact.to_vec(), &numeric, 1e-6)?;
    }
}

/// Inputs the function does not use get zeros in every construction, of their own shapes.
#[test]
fn unused_inputs_get_zeros_of_their_shape() {
    let x = Tensor::<(D<2>, D<3>), f64>::ones();
    let constant = |_: Tensor<(D<2>, D<3>), f64>| Tensor::<(D<4>,), f64>::ones();
    let j = jacobian(constant, &x);
    assert_eq!(j.size(), [4, 2, 3]);
    assert!(j.to_vec().iter().all(|v| *v == 0.0));
    let j = jacobian_forward(constant, &x);
    assert_eq!(j.size(), [4, 2, 3]);
    assert!(j.to_vec().iter().all(|v| *v == 0.0));
    let h = hessian(|x: Tensor<(D<2>, D<3>), f64>| x.sum_all() * 2.0, &x);
    assert_eq!(h.size(), [2, 3, 2, 3]);
    assert!(h.to_vec().iter().all(|v| *v == 0.0));
    // An empty Dyn input: an empty Jacobian of the right shape.
    let empty = Tensor::<(Dyn,), f64>::zeros_dyn(&[0]).unwrap();
    let j = jacobian(
        |x: Tensor<(Dyn,), f64>| x.sum_all().unsqueeze::<0>(),
        &empty,
    );
    assert_eq!(j.size(), [1, 0]);
}
