"""PyTorch's side of benches/transformer.rs: a worker the Rust bench starts and drives, so that
typed-torch, raw tch and PyTorch eager alternate in the same run.

Usage: transformer_torch.py WEIGHTS.safetensors. Builds nn.TransformerEncoder of 6
nn.TransformerEncoderLayer(256, 8, 1024, batch_first=True) layers, loads the bench's weights
(strictly: the names must be PyTorch's) and input, then answers each line `encoder ITERS` on stdin
with the seconds per forward+backward pass on stdout; `quit` ends it.
"""
import os
import sys
import time

import torch
from safetensors.torch import load_file
from torch import nn

torch.set_num_threads(int(os.environ.get("BENCH_THREADS", os.cpu_count())))
tensors = load_file(sys.argv[1])
x = tensors.pop("input")
layer = nn.TransformerEncoderLayer(256, 8, 1024, dropout=0.1, batch_first=True)
encoder = nn.TransformerEncoder(layer, 6, enable_nested_tensor=False)
encoder.load_state_dict(tensors, strict=True)
encoder.train()


def step():
    encoder(x).square().mean().backward()


print("ready", flush=True)
for line in sys.stdin:
    name, iters = line.split()
    if name == "quit":
        break
    start = time.perf_counter()
    for _ in range(int(iters)):
        step()
    print((time.perf_counter() - start) / int(iters), flush=True)
