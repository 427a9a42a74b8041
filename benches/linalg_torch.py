"""PyTorch's side of benches/linalg.rs: a worker the Rust bench starts and drives, so that
typed-torch, raw tch and PyTorch eager alternate in the same run.

Usage: linalg_torch.py DATA.safetensors (x, y: the GP's points and targets; a, b: the batch of
4x4 matrices and right-hand sides). Answers each line `gp ITERS` or `small ITERS` on stdin with
the seconds per forward+backward pass on stdout; `quit` ends it.
"""
import math
import os
import sys
import time

import torch
from safetensors.torch import load_file

torch.set_num_threads(int(os.environ.get("BENCH_THREADS", os.cpu_count())))
data = load_file(sys.argv[1])
x, y = data["x"], data["y"]
a, b = data["a"].requires_grad_(True), data["b"].requires_grad_(True)
lengths = torch.zeros(x.shape[1], dtype=torch.float64, requires_grad=True)
signal = torch.zeros((), dtype=torch.float64, requires_grad=True)
noise = torch.full((), -2.0, dtype=torch.float64, requires_grad=True)
L = torch.linalg


def gp():
    scaled = x / lengths.exp()
    sq = scaled.square().sum(1)
    dist = sq[:, None] + sq[None, :] - 2 * scaled @ scaled.T
    k = (-0.5 * dist).exp() * signal.exp()
    n = y.shape[0]
    chol = L.cholesky(k + torch.eye(n, dtype=torch.float64) * noise.exp())
    alpha = torch.cholesky_solve(y[:, None], chol)[:, 0]
    nlml = 0.5 * (y * alpha).sum() + chol.diagonal().log().sum() + 0.5 * n * math.log(2 * math.pi)
    nlml.backward()


def small():
    s = (a + a.mT) / 2
    loss = (L.det(a).sum() + L.inv(a).sum() + L.solve(a, b).sum()
            + L.cholesky(s).sum())
    loss.backward()


WORKLOADS = {"gp": gp, "small": small}
print("ready", flush=True)
for line in sys.stdin:
    name, iters = line.split()
    if name == "quit":
        break
    step = WORKLOADS[name]
    start = time.perf_counter()
    for _ in range(int(iters)):
        step()
    print((time.perf_counter() - start) / int(iters), flush=True)
