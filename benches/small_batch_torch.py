"""PyTorch's side of benches/small_batch.rs: a worker the Rust bench starts and drives, so that
the compiled typed-torch step, raw tch and PyTorch eager alternate in the same run.

Answers each line `WORKLOAD ITERS` on stdin with the seconds per training step on stdout, where
WORKLOAD is `mlp_train/N` (the 784-300-100-10 sigmoid MLP, cross-entropy, SGD lr 0.01, batch N)
or `lenet_train` (LeNet-5, cross-entropy, Adam, batch 64); `quit` ends it.
"""
import os
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

torch.set_num_threads(int(os.environ.get("BENCH_THREADS", os.cpu_count())))
torch.manual_seed(0)


def mlp():
    return nn.Sequential(
        nn.Flatten(), nn.Linear(784, 300), nn.Sigmoid(),
        nn.Linear(300, 100), nn.Sigmoid(), nn.Linear(100, 10),
    )


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )


def training_step(model, opt, n):
    x, y = torch.randn(n, 1, 28, 28), torch.randint(10, (n,))

    def step():
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()

    return step


steps = {}


def workload(name):
    if name not in steps:
        if name == "lenet_train":
            model = lenet()
            steps[name] = training_step(model, torch.optim.Adam(model.parameters()), 64)
        else:
            model = mlp()
            n = int(name.split("/")[1])
            steps[name] = training_step(model, torch.optim.SGD(model.parameters(), lr=0.01), n)
    return steps[name]


print("ready", flush=True)
for line in sys.stdin:
    name, iters = line.split()
    if name == "quit":
        break
    step = workload(name)
    start = time.perf_counter()
    for _ in range(int(iters)):
        step()
    print((time.perf_counter() - start) / int(iters), flush=True)
