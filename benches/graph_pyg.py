"""torch_geometric's side of benches/graph.rs: a worker the Rust bench starts and drives, so that
typed-torch, raw tch and torch_geometric alternate in the same run.

Usage: graph_pyg.py GRAPH.safetensors. Reads the bench's graph (`x`, `edge_index`), then answers
each line `WORKLOAD ITERS` on stdin with the seconds per iteration of ITERS forward+backward passes
on stdout; `quit` ends it. Workloads: gcn (cached normalisation), gcn_uncached, gat.
"""
import os
import sys
import time

import torch
from safetensors.torch import load_file
from torch_geometric.nn import GATConv, GCNConv

torch.set_num_threads(int(os.environ.get("BENCH_THREADS", os.cpu_count())))
data = load_file(sys.argv[1])
x, edge_index = data["x"], data["edge_index"]
F = x.size(1)
layers = {
    "gcn": GCNConv(F, F, cached=True),
    "gcn_uncached": GCNConv(F, F),
    "gat": GATConv(F, F // 4, heads=4),
}


def step(layer):
    out = layer(x, edge_index)
    out.square().mean().backward()


print("ready", flush=True)
for line in sys.stdin:
    name, iters = line.split()
    if name == "quit":
        break
    layer = layers[name]
    start = time.perf_counter()
    for _ in range(int(iters)):
        step(layer)
    print((time.perf_counter() - start) / int(iters), flush=True)
