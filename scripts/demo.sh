#!/usr/bin/env bash
# The main demo on a fresh machine: set-up (idempotent), then both MNIST examples in release mode
# on the 4,000/1,000 real digits the set-up prepares: the backprop README's MLP with SGD, then the
# LeNet-style CNN with Adam. Each prints its progress, test accuracy, wall time, and where its
# curves (PNG, SVG) and checkpoint went (runs/ in this checkout). Extra arguments go to mnist_cnn.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/scripts/setup.sh"
source "$root/scripts/env.sh"
cargo build --release --example mnist_mlp --example mnist_cnn
cargo run --release --example mnist_mlp -- --out "$root/runs"
cargo run --release --example mnist_cnn -- --out "$root/runs" "$@"
