"""torch.linalg reference cases for tests/ops/linalg_vs_pytorch.rs (f64).

Each case stores its inputs, its outputs (`out`, then `out1`, `out2`... for ops with several) and
the gradients of `sum_k sum(out_k * w_k)` with respect to the inputs (`grad0`, `grad1`...), where
`w_k = linspace(0.5, 1.5)` over each output: a plain sum would hide sign errors. Outputs defined
only up to sign (eigenvectors, singular vectors) are stored squared, which fixes the gauge. The
covariance of `mean_cov` is also checked against NumPy's `cov` here, so two libraries agree.
"""
import numpy as np
import torch


def add(case, T):
    g = torch.Generator().manual_seed(17)

    def randn(*s):
        return torch.randn(*s, dtype=torch.float64, generator=g)

    def well_conditioned(*s):
        n = s[-1]
        return randn(*s) + n * torch.eye(n, dtype=torch.float64)

    def spd(*s):
        n = s[-1]
        b = randn(*s)
        return b @ b.mT + n * torch.eye(n, dtype=torch.float64)

    def with_grads(name, inputs, f):
        leaves = [x.clone().requires_grad_(True) for x in inputs]
        outs = f(*leaves)
        outs = outs if isinstance(outs, tuple) else (outs,)
        loss = 0
        for k, out in enumerate(outs):
            w = torch.linspace(0.5, 1.5, out.numel(), dtype=torch.float64).reshape(out.shape)
            loss = loss + (out * w).sum()
            if k > 0:
                T[f"{name}.out{k}"] = out.detach().clone().contiguous()
        grads = torch.autograd.grad(loss, leaves, allow_unused=True)
        grads = [torch.zeros_like(x) if gr is None else gr for x, gr in zip(leaves, grads)]
        case(name, inputs, outs[0], grads)

    L = torch.linalg
    # ---- products ----
    with_grads("linalg.dot", [randn(4), randn(4)], lambda u, v: (u * v).sum(-1))
    with_grads("linalg.dot_batch", [randn(2, 3, 4), randn(2, 3, 4)], lambda u, v: (u * v).sum(-1))
    with_grads("linalg.outer", [randn(3), randn(4)], torch.outer)
    with_grads("linalg.outer_batch", [randn(2, 3), randn(2, 4)],
               lambda u, v: u.unsqueeze(-1) * v.unsqueeze(-2))
    with_grads("linalg.cross", [randn(3), randn(3)], L.cross)
    with_grads("linalg.cross_batch", [randn(5, 3), randn(5, 3)], L.cross)
    with_grads("linalg.mv", [randn(3, 4), randn(4)], torch.mv)
    with_grads("linalg.mv_batch", [randn(2, 3, 4), randn(2, 4)],
               lambda m, v: (m @ v.unsqueeze(-1)).squeeze(-1))
    with_grads("linalg.mtm", [randn(5, 3)], lambda m: m.mT @ m)
    with_grads("linalg.mtm_batch", [randn(2, 5, 3)], lambda m: m.mT @ m)
    with_grads("linalg.trace", [randn(4, 4)], torch.trace)
    with_grads("linalg.trace_batch", [randn(2, 3, 3)], lambda m: m.diagonal(0, -2, -1).sum(-1))
    with_grads("linalg.diagonal", [randn(4, 4)], lambda m: m.diagonal(0, -2, -1))
    with_grads("linalg.diag", [randn(4)], torch.diag)
    with_grads("linalg.diag_batch", [randn(2, 3)], torch.diag_embed)

    # ---- determinants, inverses, solves ----
    with_grads("linalg.det", [well_conditioned(4, 4)], L.det)
    with_grads("linalg.det_batch", [well_conditioned(3, 4, 4)], L.det)
    negative = well_conditioned(3, 3)
    negative[[0, 1]] = negative[[1, 0]]  # a row swap: negative determinant
    with_grads("linalg.lndet", [negative], lambda m: L.slogdet(m)[::-1])
    with_grads("linalg.inv", [well_conditioned(4, 4)], L.inv)
    with_grads("linalg.inv_batch", [well_conditioned(2, 3, 3)], L.inv)
    with_grads("linalg.solve_vector", [well_conditioned(4, 4), randn(4)], L.solve)
    with_grads("linalg.solve_matrix", [well_conditioned(4, 4), randn(4, 2)], L.solve)
    with_grads("linalg.solve_batch", [well_conditioned(3, 4, 4), randn(3, 4)], L.solve)
    with_grads("linalg.matrix_exp", [randn(4, 4) * 0.5], L.matrix_exp)
    with_grads("linalg.matrix_power3", [randn(4, 4) * 0.5], lambda m: L.matrix_power(m, 3))
    with_grads("linalg.matrix_power0", [randn(3, 3)], lambda m: L.matrix_power(m, 0))

    # ---- decompositions (symmetric ones through sym, as the Rust side) ----
    def sym(m):
        return (m + m.mT) / 2

    with_grads("linalg.chol", [spd(4, 4)], lambda m: L.cholesky(sym(m)))
    with_grads("linalg.chol_batch", [spd(2, 3, 3)], lambda m: L.cholesky(sym(m)))
    with_grads("linalg.chol_solve", [spd(4, 4), randn(4, 2)],
               lambda a, b: torch.cholesky_solve(b, L.cholesky(sym(a))))
    with_grads("linalg.chol_solve_vector", [spd(3, 3), randn(3)],
               lambda a, b: torch.cholesky_solve(b.unsqueeze(-1), L.cholesky(sym(a))).squeeze(-1))
    with_grads("linalg.solve_lower", [well_conditioned(4, 4), randn(4)],
               lambda t, b: L.solve_triangular(t, b.unsqueeze(-1), upper=False).squeeze(-1))
    with_grads("linalg.solve_upper", [well_conditioned(2, 3, 3), randn(2, 3, 2)],
               lambda t, b: L.solve_triangular(t, b, upper=True))
    with_grads("linalg.eigensystem", [spd(4, 4)],
               lambda m: (lambda e: (e[0], e[1] ** 2))(L.eigh(sym(m))))
    with_grads("linalg.eigenvalues_batch", [spd(2, 3, 3)], lambda m: L.eigvalsh(sym(m)))
    with_grads("linalg.qr", [randn(5, 3)], lambda m: L.qr(m))
    with_grads("linalg.qr_wide", [randn(3, 5)], lambda m: L.qr(m))
    with_grads("linalg.svd", [randn(5, 3)],
               lambda m: (lambda u, s, vh: (u ** 2, s, vh ** 2))(*L.svd(m, full_matrices=False)))
    with_grads("linalg.svd_values_wide", [randn(3, 5)], L.svdvals)
    with_grads("linalg.pinv", [randn(5, 3)], L.pinv)
    with_grads("linalg.pinv_wide", [randn(3, 5)], L.pinv)

    # ---- norms ----
    v = randn(3, 5)
    v[0, 1] = 0.0  # a zero for norm_0
    case("linalg.vector_norm_0", [v], (v != 0).sum(-1).to(torch.float64))
    with_grads("linalg.vector_norm_1", [v], lambda x: L.vector_norm(x, 1, -1))
    with_grads("linalg.vector_norm_2", [v], lambda x: L.vector_norm(x, 2, -1))
    with_grads("linalg.vector_norm_inf", [v], lambda x: L.vector_norm(x, float("inf"), -1))
    m = randn(2, 4, 3)
    with_grads("linalg.matrix_norm_1", [m], lambda x: L.matrix_norm(x, 1))
    with_grads("linalg.matrix_norm_2", [m], lambda x: L.matrix_norm(x, 2))
    with_grads("linalg.matrix_norm_inf", [m], lambda x: L.matrix_norm(x, float("inf")))
    with_grads("linalg.matrix_norm_frob", [m], lambda x: L.matrix_norm(x, "fro"))

    # ---- mean and covariance, checked against NumPy too ----
    x = randn(6, 3)
    cov = np.cov(x.numpy(), rowvar=False)
    with_grads("linalg.mean_cov", [x],
               lambda t: (t.mean(0), (t - t.mean(0)).mT @ (t - t.mean(0)) / (t.shape[0] - 1)))
    assert np.abs(T["linalg.mean_cov.out1"].numpy() - cov).max() < 1e-13
