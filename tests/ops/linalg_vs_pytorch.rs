//! `typed_torch::linalg` against `torch.linalg` (tests/reference/linalg.py): every op's values and
//! the gradients of `sum_k sum(out_k * w_k)` in f64, single and batched, static shapes.
use crate::common::{assert_close, assert_close_to, input};
use typed_torch::linalg::{sym, L, R};
use typed_torch::{Shape, Tensor, D};

const TOL: f64 = 1e-10;

/// A float input of the case as a fresh leaf.
fn leaf<S: Shape>(case: &str, i: usize) -> Tensor<S, f64> {
    input::<S, f64>(case, i).deep_clone().requires_grad()
}

/// `sum(out * linspace(0.5, 1.5))`, as the reference script weighs each output.
fn weighted<S: Shape>(out: &Tensor<S, f64>) -> tch::Tensor {
    let n = out.as_tch().numel() as i64;
    let w = tch::Tensor::linspace(0.5, 1.5, n, (tch::Kind::Double, tch::Device::Cpu))
        .reshape(out.as_tch().size());
    (out.as_tch() * w).sum(tch::Kind::Double)
}

/// Checks every output of the case, then backpropagates their weighted sum and checks the
/// gradient of every leaf.
fn check(case: &str, outs: &[&dyn Output], leaves: &[&dyn Leaf]) {
    let mut loss = tch::Tensor::zeros([], (tch::Kind::Double, tch::Device::Cpu));
    for (k, out) in outs.iter().enumerate() {
        out.assert_against(case, k);
        loss += out.weighted();
    }
    loss.backward();
    for (i, l) in leaves.iter().enumerate() {
        l.assert_grad(case, i);
    }
}

/// A typed output of any shape, for [`check`].
trait Output {
    fn assert_against(&self, case: &str, k: usize);
    fn weighted(&self) -> tch::Tensor;
}
impl<S: Shape> Output for Tensor<S, f64> {
    fn assert_against(&self, case: &str, k: usize) {
        let what = if k == 0 {
            "out".to_string()
        } else {
            format!("out{k}")
        };
        assert_close_to(case, &what, self, TOL);
    }
    fn weighted(&self) -> tch::Tensor {
        weighted(self)
    }
}

/// A typed leaf of any shape, for [`check`].
trait Leaf {
    fn assert_grad(&self, case: &str, i: usize);
}
impl<S: Shape> Leaf for Tensor<S, f64> {
    fn assert_grad(&self, case: &str, i: usize) {
        let grad = self
            .grad()
            .unwrap_or_else(|| panic!("{case}: leaf {i} has no gradient"));
        assert_close_to(case, &format!("grad{i}"), &grad, TOL);
    }
}

type V4 = (D<4>,);
type B234 = (D<2>, D<3>, D<4>);

#[test]
fn products_match_pytorch() {
    let c = "linalg.dot";
    let (u, v) = (leaf::<V4>(c, 0), leaf::<V4>(c, 1));
    check(c, &[&u.dot(&v)], &[&u, &v]);
    let c = "linalg.dot_batch";
    let (u, v) = (leaf::<B234>(c, 0), leaf::<B234>(c, 1));
    let d: Tensor<(D<2>, D<3>), f64> = u.dot(&v);
    check(c, &[&d], &[&u, &v]);

    let c = "linalg.outer";
    let (u, v) = (leaf::<(D<3>,)>(c, 0), leaf::<V4>(c, 1));
    let o: L<3, 4, f64> = u.outer(&v);
    check(c, &[&o], &[&u, &v]);
    let c = "linalg.outer_batch";
    let (u, v) = (leaf::<(D<2>, D<3>)>(c, 0), leaf::<(D<2>, D<4>)>(c, 1));
    let o: Tensor<(D<2>, D<3>, D<4>), f64> = u.outer(&v);
    check(c, &[&o], &[&u, &v]);

    let c = "linalg.cross";
    let (u, v) = (leaf::<(D<3>,)>(c, 0), leaf::<(D<3>,)>(c, 1));
    check(c, &[&u.cross(&v)], &[&u, &v]);
    let c = "linalg.cross_batch";
    let (u, v) = (leaf::<(D<5>, D<3>)>(c, 0), leaf::<(D<5>, D<3>)>(c, 1));
    check(c, &[&u.cross(&v)], &[&u, &v]);

    let c = "linalg.mv";
    let (m, v) = (leaf::<(D<3>, D<4>)>(c, 0), leaf::<V4>(c, 1));
    let y: R<3, f64> = m.mv(&v);
    check(c, &[&y], &[&m, &v]);
    let c = "linalg.mv_batch";
    let (m, v) = (leaf::<B234>(c, 0), leaf::<(D<2>, D<4>)>(c, 1));
    let y: Tensor<(D<2>, D<3>), f64> = m.mv(&v);
    check(c, &[&y], &[&m, &v]);

    let c = "linalg.mtm";
    let m = leaf::<(D<5>, D<3>)>(c, 0);
    check(c, &[m.mtm().as_tensor()], &[&m]);
    let c = "linalg.mtm_batch";
    let m = leaf::<(D<2>, D<5>, D<3>)>(c, 0);
    check(c, &[m.mtm().as_tensor()], &[&m]);
}

#[test]
fn trace_and_diagonals_match_pytorch() {
    let c = "linalg.trace";
    let m = leaf::<(D<4>, D<4>)>(c, 0);
    check(c, &[&m.trace()], &[&m]);
    let c = "linalg.trace_batch";
    let m = leaf::<(D<2>, D<3>, D<3>)>(c, 0);
    check(c, &[&m.trace()], &[&m]);
    let c = "linalg.diagonal";
    let m = leaf::<(D<4>, D<4>)>(c, 0);
    check(c, &[&m.diagonal()], &[&m]);
    let c = "linalg.diag";
    let v = leaf::<V4>(c, 0);
    check(c, &[&v.diag()], &[&v]);
    let c = "linalg.diag_batch";
    let v = leaf::<(D<2>, D<3>)>(c, 0);
    check(c, &[&v.diag()], &[&v]);
}

#[test]
fn determinants_inverses_and_solves_match_pytorch() {
    let c = "linalg.det";
    let m = leaf::<(D<4>, D<4>)>(c, 0);
    check(c, &[&m.det()], &[&m]);
    let c = "linalg.det_batch";
    let m = leaf::<(D<3>, D<4>, D<4>)>(c, 0);
    check(c, &[&m.det()], &[&m]);
    let c = "linalg.lndet";
    let m = leaf::<(D<3>, D<3>)>(c, 0);
    let (log_abs, sign) = m.lndet();
    assert_eq!(
        sign.to_vec(),
        vec![-1.0],
        "the row swap makes the determinant negative"
    );
    check(c, &[&log_abs, &sign], &[&m]);

    let c = "linalg.inv";
    let m = leaf::<(D<4>, D<4>)>(c, 0);
    check(c, &[&m.inv().unwrap()], &[&m]);
    let c = "linalg.inv_batch";
    let m = leaf::<(D<2>, D<3>, D<3>)>(c, 0);
    check(c, &[&m.inv().unwrap()], &[&m]);
    // invlndet is inv and lndet at once.
    let m = input::<(D<4>, D<4>), f64>("linalg.inv", 0);
    let (inverse, (log_abs, _)) = m.invlndet().unwrap();
    assert_close("linalg.inv", &inverse, TOL);
    let det = m.det().to_vec()[0];
    assert!((log_abs.to_vec()[0] - det.abs().ln()).abs() < 1e-12);

    let c = "linalg.solve_vector";
    let (a, b) = (leaf::<(D<4>, D<4>)>(c, 0), leaf::<V4>(c, 1));
    check(c, &[&a.solve(&b).unwrap()], &[&a, &b]);
    let c = "linalg.solve_matrix";
    let (a, b) = (leaf::<(D<4>, D<4>)>(c, 0), leaf::<(D<4>, D<2>)>(c, 1));
    check(c, &[&a.solve(&b).unwrap()], &[&a, &b]);
    let c = "linalg.solve_batch";
    let (a, b) = (leaf::<(D<3>, D<4>, D<4>)>(c, 0), leaf::<(D<3>, D<4>)>(c, 1));
    check(c, &[&a.solve(&b).unwrap()], &[&a, &b]);

    let c = "linalg.matrix_exp";
    let m = leaf::<(D<4>, D<4>)>(c, 0);
    check(c, &[&m.matrix_exp()], &[&m]);
    let c = "linalg.matrix_power3";
    let m = leaf::<(D<4>, D<4>)>(c, 0);
    check(c, &[&m.matrix_power(3)], &[&m]);
    let c = "linalg.matrix_power0";
    let m = leaf::<(D<3>, D<3>)>(c, 0);
    assert_close(c, &m.matrix_power(0), 0.0);
}

#[test]
fn decompositions_match_pytorch() {
    let c = "linalg.chol";
    let m = leaf::<(D<4>, D<4>)>(c, 0);
    check(c, &[&sym(&m).chol().unwrap()], &[&m]);
    let c = "linalg.chol_batch";
    let m = leaf::<(D<2>, D<3>, D<3>)>(c, 0);
    check(c, &[&sym(&m).chol().unwrap()], &[&m]);

    let c = "linalg.chol_solve";
    let (a, b) = (leaf::<(D<4>, D<4>)>(c, 0), leaf::<(D<4>, D<2>)>(c, 1));
    let l = sym(&a).chol().unwrap();
    check(c, &[&l.chol_solve(&b).unwrap()], &[&a, &b]);
    let c = "linalg.chol_solve_vector";
    let (a, b) = (leaf::<(D<3>, D<3>)>(c, 0), leaf::<(D<3>,)>(c, 1));
    let l = sym(&a).chol().unwrap();
    check(c, &[&l.chol_solve(&b).unwrap()], &[&a, &b]);
    let c = "linalg.solve_lower";
    let (t, b) = (leaf::<(D<4>, D<4>)>(c, 0), leaf::<V4>(c, 1));
    check(c, &[&t.solve_lower_triangular(&b).unwrap()], &[&t, &b]);
    let c = "linalg.solve_upper";
    let (t, b) = (
        leaf::<(D<2>, D<3>, D<3>)>(c, 0),
        leaf::<(D<2>, D<3>, D<2>)>(c, 1),
    );
    check(c, &[&t.solve_upper_triangular(&b).unwrap()], &[&t, &b]);

    let c = "linalg.eigensystem";
    let m = leaf::<(D<4>, D<4>)>(c, 0);
    let (values, vectors) = sym(&m).eigensystem().unwrap();
    check(c, &[&values, &vectors.square()], &[&m]);
    let c = "linalg.eigenvalues_batch";
    let m = leaf::<(D<2>, D<3>, D<3>)>(c, 0);
    check(c, &[&sym(&m).eigenvalues().unwrap()], &[&m]);

    let c = "linalg.qr";
    let m = leaf::<(D<5>, D<3>)>(c, 0);
    let (q, r): (L<5, 3, f64>, L<3, 3, f64>) = m.qr().unwrap();
    check(c, &[&q, &r], &[&m]);
    let c = "linalg.qr_wide";
    let m = leaf::<(D<3>, D<5>)>(c, 0);
    let (q, r): (L<3, 3, f64>, L<3, 5, f64>) = m.qr().unwrap();
    check(c, &[&q, &r], &[&m]);

    let c = "linalg.svd";
    let m = leaf::<(D<5>, D<3>)>(c, 0);
    let (u, s, vh): (L<5, 3, f64>, R<3, f64>, L<3, 3, f64>) = m.svd().unwrap();
    check(c, &[&u.square(), &s, &vh.square()], &[&m]);
    let c = "linalg.svd_values_wide";
    let m = leaf::<(D<3>, D<5>)>(c, 0);
    check(c, &[&m.svd_values().unwrap()], &[&m]);

    let c = "linalg.pinv";
    let m = leaf::<(D<5>, D<3>)>(c, 0);
    let p: L<3, 5, f64> = m.pinv().unwrap();
    check(c, &[&p], &[&m]);
    let c = "linalg.pinv_wide";
    let m = leaf::<(D<3>, D<5>)>(c, 0);
    check(c, &[&m.pinv().unwrap()], &[&m]);
}

#[test]
fn norms_and_mean_cov_match_pytorch() {
    let c = "linalg.vector_norm_0";
    assert_close(c, &input::<(D<3>, D<5>), f64>(c, 0).vector_norm_0(), 0.0);
    for (c, norm) in [
        ("linalg.vector_norm_1", Tensor::vector_norm_1 as fn(&_) -> _),
        ("linalg.vector_norm_2", Tensor::vector_norm_2),
        ("linalg.vector_norm_inf", Tensor::vector_norm_inf),
    ] {
        let v = leaf::<(D<3>, D<5>)>(c, 0);
        check(c, &[&norm(&v)], &[&v]);
    }
    for (c, norm) in [
        ("linalg.matrix_norm_1", Tensor::matrix_norm_1 as fn(&_) -> _),
        ("linalg.matrix_norm_2", Tensor::matrix_norm_2),
        ("linalg.matrix_norm_inf", Tensor::matrix_norm_inf),
        ("linalg.matrix_norm_frob", Tensor::matrix_norm_frob),
    ] {
        let m = leaf::<(D<2>, D<4>, D<3>)>(c, 0);
        check(c, &[&norm(&m)], &[&m]);
    }
    let c = "linalg.mean_cov";
    let x = leaf::<(D<6>, D<3>)>(c, 0);
    let (mean, cov) = x.mean_cov();
    check(c, &[&mean, cov.as_tensor()], &[&x]);
}
