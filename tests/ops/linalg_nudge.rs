//! "Nudge" tests of `typed_torch::linalg`, after hmatrix-backprop's: over random sizes (1 to 4)
//! and well-conditioned random values, the gradient of every op (of a weighted sum of its
//! outputs) agrees with central differences in f64, and so do the second derivatives (Hessian
//! times a random direction) of `det`, `inv`, `solve` and `chol`. The matrices are `Dyn`-sized,
//! which also runs the run-time size checks.
use proptest::prelude::*;
use typed_torch::functional::{grad, hvp};
use typed_torch::linalg::sym;
use typed_torch::{no_grad, Dyn, Shape, Tensor};

type Matrix = Tensor<(Dyn, Dyn), f64>;
type Vector = Tensor<(Dyn,), f64>;

const STEP: f64 = 1e-6;
const TOL: f64 = 1e-5;

fn matrix(values: &[f64], rows: usize, cols: usize) -> Matrix {
    Matrix::from_slice_dyn(values, &[rows, cols]).unwrap()
}

fn vector(values: &[f64]) -> Vector {
    Vector::from_slice_dyn(values, &[values.len()]).unwrap()
}

/// `sum(out * linspace(0.5, 1.5))`: a plain sum would hide sign errors.
fn weighted<S: Shape>(out: &Tensor<S, f64>) -> Tensor<(), f64> {
    let n = out.as_tch().numel() as i64;
    let w = tch::Tensor::linspace(0.5, 1.5, n, (tch::Kind::Double, tch::Device::Cpu))
        .reshape(out.as_tch().size());
    Tensor::from_tch((out.as_tch() * w).sum(tch::Kind::Double)).unwrap()
}

/// `m + shift * I` for the leading square block: keeps random matrices well away from singular.
fn shifted(m: &Matrix, shift: f64) -> Matrix {
    let size = m.size();
    let eye = tch::Tensor::eye_m(
        size[0] as i64,
        size[1] as i64,
        (tch::Kind::Double, tch::Device::Cpu),
    );
    Matrix::from_tch(m.as_tch() + eye * shift).unwrap()
}

/// `m + diag(10, 20, 30...)`: distinct, well-separated eigenvalues or singular values, where
/// their derivatives exist (entries of `m` are at most 1, so it moves them by at most 4).
fn spread(m: &Matrix) -> Matrix {
    let size = m.size();
    let k = size[0].min(size[1]) as i64;
    let steps = tch::Tensor::arange_start(1, k + 1, (tch::Kind::Double, tch::Device::Cpu)) * 10.0;
    let d = tch::Tensor::zeros(
        [size[0] as i64, size[1] as i64],
        (tch::Kind::Double, tch::Device::Cpu),
    );
    d.diagonal(0, 0, 1).copy_(&steps);
    Matrix::from_tch(m.as_tch() + d).unwrap()
}

/// Central differences of `f` in every entry of `x`.
fn nudged(f: &dyn Fn(&[f64]) -> f64, x: &[f64]) -> Vec<f64> {
    (0..x.len())
        .map(|i| {
            let mut up = x.to_vec();
            let mut down = x.to_vec();
            up[i] += STEP;
            down[i] -= STEP;
            (f(&up) - f(&down)) / (2.0 * STEP)
        })
        .collect()
}

fn close(what: &str, exact: &[f64], numeric: &[f64]) -> Result<(), TestCaseError> {
    prop_assert_eq!(exact.len(), numeric.len(), "{}: lengths", what);
    for (i, (a, b)) in exact.iter().zip(numeric).enumerate() {
        let scale = 1.0_f64.max(a.abs()).max(b.abs());
        prop_assert!(
            (a - b).abs() <= TOL * scale,
            "{what}: entry {i} is {a:e} by autograd and {b:e} by nudging"
        );
    }
    Ok(())
}

/// Checks the gradient of a scalar function of one matrix against nudging.
fn check_matrix(
    what: &str,
    f: impl Fn(Matrix) -> Tensor<(), f64> + Copy,
    values: &[f64],
    rows: usize,
    cols: usize,
) -> Result<(), TestCaseError> {
    let exact = grad(f, &matrix(values, rows, cols)).to_vec();
    let at = |v: &[f64]| no_grad(|| f(matrix(v, rows, cols)).to_vec()[0]);
    close(what, &exact, &nudged(&at, values))
}

/// Checks a Hessian-vector product of a scalar function of one matrix against nudging its
/// gradient along the direction.
fn check_second(
    what: &str,
    f: impl Fn(Matrix) -> Tensor<(), f64> + Copy,
    values: &[f64],
    direction: &[f64],
    n: usize,
) -> Result<(), TestCaseError> {
    let x = matrix(values, n, n);
    let exact = hvp(f, &x, &matrix(direction, n, n)).to_vec();
    let gradient_at = |sign: f64| {
        let moved: Vec<f64> = values
            .iter()
            .zip(direction)
            .map(|(v, d)| v + sign * STEP * d)
            .collect();
        grad(f, &matrix(&moved, n, n)).to_vec()
    };
    let (up, down) = (gradient_at(1.0), gradient_at(-1.0));
    let numeric: Vec<f64> = up
        .iter()
        .zip(&down)
        .map(|(u, d)| (u - d) / (2.0 * STEP))
        .collect();
    close(what, &exact, &numeric)
}

/// A square matrix of 1 to 4 rows, entries in [-1, 1], and a second one for a direction.
fn square() -> impl Strategy<Value = (usize, Vec<f64>, Vec<f64>)> {
    (1..=4_usize).prop_flat_map(|n| {
        (
            Just(n),
            prop::collection::vec(-1.0..1.0_f64, n * n),
            prop::collection::vec(-1.0..1.0_f64, n * n),
        )
    })
}

/// A matrix of 1 to 4 rows and columns, entries in [-1, 1].
fn rectangle() -> impl Strategy<Value = (usize, usize, Vec<f64>)> {
    (1..=4_usize, 1..=4_usize).prop_flat_map(|(r, c)| {
        (
            Just(r),
            Just(c),
            prop::collection::vec(-1.0..1.0_f64, r * c),
        )
    })
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 16,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn square_ops_match_nudging((n, values, direction) in square()) {
        let shift = n as f64 + 1.0;
        check_matrix("det", |m| weighted(&shifted(&m, shift).det()), &values, n, n)?;
        check_matrix("lndet", |m| weighted(&shifted(&m, shift).lndet().0), &values, n, n)?;
        check_matrix("inv", |m| weighted(&shifted(&m, shift).inv().unwrap()), &values, n, n)?;
        check_matrix("trace", |m| weighted(&m.trace()), &values, n, n)?;
        check_matrix("diagonal", |m| weighted(&m.diagonal()), &values, n, n)?;
        check_matrix("matrix_exp", |m| weighted(&m.matrix_exp()), &values, n, n)?;
        check_matrix("matrix_power", |m| weighted(&m.matrix_power(3)), &values, n, n)?;
        check_matrix("chol", |m| weighted(&sym(&shifted(&m, shift)).chol().unwrap()), &values, n, n)?;
        check_matrix(
            "eigenvalues",
            |m| weighted(&sym(&spread(&m)).eigenvalues().unwrap()),
            &values, n, n,
        )?;
        check_matrix(
            "eigenvectors",
            |m| weighted(&sym(&spread(&m)).eigensystem().unwrap().1.square()),
            &values, n, n,
        )?;
        let b = vector(&direction[..n]);
        check_matrix("solve (matrix)", |m| weighted(&shifted(&m, shift).solve(&b).unwrap()), &values, n, n)?;
        let a = shifted(&matrix(&direction, n, n), shift);
        check_matrix(
            "solve (right-hand sides)",
            |m| weighted(&a.solve(&m).unwrap()),
            &values, n, n,
        )?;
        check_matrix(
            "chol_solve",
            |m| weighted(&sym(&shifted(&m, shift)).chol().unwrap().chol_solve(&b).unwrap()),
            &values, n, n,
        )?;
        check_matrix(
            "solve_lower_triangular",
            |m| weighted(&shifted(&m, shift).solve_lower_triangular(&b).unwrap()),
            &values, n, n,
        )?;
        check_matrix(
            "solve_upper_triangular",
            |m| weighted(&shifted(&m, shift).solve_upper_triangular(&b).unwrap()),
            &values, n, n,
        )?;
        // Second derivatives.
        check_second("det''", |m| weighted(&shifted(&m, shift).det()), &values, &direction, n)?;
        check_second("inv''", |m| weighted(&shifted(&m, shift).inv().unwrap()), &values, &direction, n)?;
        check_second("solve''", |m| weighted(&shifted(&m, shift).solve(&b).unwrap()), &values, &direction, n)?;
        check_second("chol''", |m| weighted(&sym(&shifted(&m, shift)).chol().unwrap()), &values, &direction, n)?;
    }

    #[test]
    fn rectangular_ops_match_nudging((r, c, values) in rectangle()) {
        check_matrix("mtm", |m| weighted(m.mtm().as_tensor()), &values, r, c)?;
        check_matrix("mt", |m| weighted(&m.mt()), &values, r, c)?;
        check_matrix("svd values", |m| weighted(&spread(&m).svd_values().unwrap()), &values, r, c)?;
        check_matrix(
            "svd vectors",
            |m| {
                let (u, s, vh) = spread(&m).svd().unwrap();
                weighted(&u.square()) + weighted(&s) + weighted(&vh.square())
            },
            &values, r, c,
        )?;
        check_matrix("pinv", |m| weighted(&spread(&m).pinv().unwrap()), &values, r, c)?;
        if r >= c {
            // PyTorch differentiates QR where the leading block is square and full rank.
            check_matrix(
                "qr",
                |m| {
                    let (q, rr) = spread(&m).qr().unwrap();
                    weighted(&q) + weighted(&rr)
                },
                &values, r, c,
            )?;
        }
        check_matrix("matrix_norm_1", |m| weighted(&m.matrix_norm_1()), &values, r, c)?;
        check_matrix("matrix_norm_2", |m| weighted(&spread(&m).matrix_norm_2()), &values, r, c)?;
        check_matrix("matrix_norm_inf", |m| weighted(&m.matrix_norm_inf()), &values, r, c)?;
        check_matrix("matrix_norm_frob", |m| weighted(&m.matrix_norm_frob()), &values, r, c)?;
        check_matrix("vector_norm_1", |m| weighted(&m.vector_norm_1()), &values, r, c)?;
        check_matrix("vector_norm_2", |m| weighted(&m.vector_norm_2()), &values, r, c)?;
        check_matrix("vector_norm_inf", |m| weighted(&m.vector_norm_inf()), &values, r, c)?;
        let v = vector(&values[..c]);
        check_matrix("mv", |m| weighted(&m.mv(&v)), &values, r, c)?;
        check_matrix("dot", |m| weighted(&m.dot(&m.sin())), &values, r, c)?;
        check_matrix("outer", |m| weighted(&m.outer(&m.cos())), &values, r, c)?;
        check_matrix("diag", |m| weighted(&m.diag()), &values, r, c)?;
        if r >= 2 {
            check_matrix("mean_cov", |m| {
                let (mean, cov) = m.mean_cov();
                weighted(&mean) + weighted(cov.as_tensor())
            }, &values, r, c)?;
        }
        if c == 3 {
            check_matrix("cross", |m| weighted(&m.cross(&m.exp())), &values, r, c)?;
        }
    }
}
