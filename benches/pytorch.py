"""PyTorch eager, timed the way the Rust benches are (benches/common/mod.rs with criterion's flat
sampling): warm up for BENCH_WARMUP_S seconds, estimate the time per iteration, then take
BENCH_SAMPLES samples of an equal number of iterations filling about BENCH_MEASURE_S seconds.
Writes the raw samples, in criterion's sample.json form, to BENCH_OUT/pytorch.json."""
import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

THREADS = int(os.environ.get("BENCH_THREADS", os.cpu_count()))
WARMUP_S = float(os.environ.get("BENCH_WARMUP_S", 1.0))
MEASURE_S = float(os.environ.get("BENCH_MEASURE_S", 3.0))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", 50))
ONLY = os.environ.get("BENCH_FILTER", "")


def measure(routine):
    """criterion's warm-up (doubling batches until the time is up) and flat sampling."""
    clock = time.perf_counter_ns
    iters, spent, done = 1, 0, 0
    start = clock()
    while True:
        for _ in range(iters):
            routine()
        done += iters
        spent = clock() - start
        if spent >= WARMUP_S * 1e9:
            break
        iters *= 2
    per_iter = spent / done
    n = max(1, math.ceil(MEASURE_S * 1e9 / (per_iter * SAMPLES)))
    times = []
    for _ in range(SAMPLES):
        t0 = clock()
        for _ in range(n):
            routine()
        times.append(float(clock() - t0))
    return {"sampling_mode": "Flat", "iters": [float(n)] * SAMPLES, "times": times}


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


def cases():
    """(name, routine) in the naming of the criterion benches: group/function[/parameter]."""
    for n in (1, 32, 256):
        model = mlp()
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        x, y = torch.randn(n, 1, 28, 28), torch.randint(10, (n,))

        def forward(model=model, x=x):
            with torch.no_grad():
                model(x)

        def gradient(model=model, x=x, y=y):
            model.zero_grad()
            F.cross_entropy(model(x), y).backward()

        def train(model=model, opt=opt, x=x, y=y):
            opt.zero_grad()
            F.cross_entropy(model(x), y).backward()
            opt.step()

        yield f"mlp_forward/pytorch/{n}", forward
        yield f"mlp_gradient/pytorch/{n}", gradient
        yield f"mlp_train/pytorch/{n}", train

    net = lenet()
    opt = torch.optim.Adam(net.parameters())
    x, y = torch.randn(64, 1, 28, 28), torch.randint(10, (64,))

    def lenet_train():
        opt.zero_grad()
        F.cross_entropy(net(x), y).backward()
        opt.step()

    yield "lenet_train/pytorch", lenet_train

    lstm = nn.LSTM(256, 256, num_layers=2)
    xs = torch.randn(100, 32, 256)

    def lstm_gradient():
        out, _ = lstm(xs)
        out.pow(2).mean().backward()

    yield "lstm_gradient/pytorch", lstm_gradient

    for label, options in (("default", {}), ("foreach", {"foreach": True}), ("fused", {"fused": True})):
        deep = nn.Sequential(*[nn.Linear(1024, 1024) for _ in range(10)])
        for p in deep.parameters():
            p.grad = torch.randn_like(p)
        adam = torch.optim.Adam(deep.parameters(), **options)
        yield f"adam_step/pytorch_{label}", adam.step


def main():
    torch.set_num_threads(THREADS)
    torch.manual_seed(0)
    results = {}
    for name, routine in cases():
        if ONLY and ONLY not in name:
            continue
        sample = measure(routine)
        per_iter = sorted(t / i for t, i in zip(sample["times"], sample["iters"]))
        print(f"{name:<32} median {per_iter[len(per_iter) // 2] / 1e3:10.1f} us", file=sys.stderr)
        results[name] = sample
    meta = {"torch": torch.__version__, "threads": torch.get_num_threads(), "python": sys.version.split()[0]}
    out = os.environ.get("BENCH_OUT")
    text = json.dumps({"meta": meta, "results": results})
    if out:
        with open(os.path.join(out, "pytorch.json"), "w") as f:
            f.write(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
