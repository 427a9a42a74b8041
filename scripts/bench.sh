#!/usr/bin/env bash
# Every benchmark, then benches/RESULTS.md: set-up (idempotent, as in scripts/test.sh), compile-time
# benchmarks, the criterion benches (typed-torch, raw tch, hand-written gradients), typed-torch and
# raw tch interleaved, the resident memory of 10,000 training steps, the same workloads in PyTorch
# eager, and the report.
#
# Settings (environment): BENCH_THREADS (default: every core), BENCH_WARMUP_S (1), BENCH_MEASURE_S
# (3), BENCH_SAMPLES (50), BENCH_PAIRED_ROUNDS (60), BENCH_PAIRED_BLOCK_MS (20),
# BENCH_SKIP_COMPILE=1 to skip the compile-time part (about 2 minutes).
# Run it on an otherwise idle machine: other work inflates every figure unevenly.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/scripts/setup.sh"
# A target directory of its own: the compile-time benchmarks clean the crate's packages, which would
# force every clone sharing the test suite's target directory to rebuild them.
cache="${TYPED_TORCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/typed-torch}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$cache/target-bench}"
source "$root/scripts/env.sh"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
export BENCH_THREADS="${BENCH_THREADS:-$(nproc)}"
export BENCH_WARMUP_S="${BENCH_WARMUP_S:-1}" BENCH_MEASURE_S="${BENCH_MEASURE_S:-3}" BENCH_SAMPLES="${BENCH_SAMPLES:-50}"
# One run's raw results, so the report never mixes runs.
export BENCH_OUT="$CARGO_TARGET_DIR/bench-run"
export CRITERION_HOME="$BENCH_OUT/criterion"
rm -rf "$BENCH_OUT"
mkdir -p "$BENCH_OUT"
load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"

if [ "${BENCH_SKIP_COMPILE:-0}" != 1 ]; then
  step "compile time (dev profile)"
  "$TYPED_TORCH_PYTHON" benches/compile_time.py
fi

step "build the benches (release)"
cargo bench --no-run --bench mlp --bench lenet --bench adam --bench paired --bench memory --bench graph --bench transformer --bench linalg --bench small_batch

step "criterion: MLP, LeNet, Adam (threads: $BENCH_THREADS)"
cargo bench --bench mlp --bench lenet --bench adam

step "typed-torch and raw tch interleaved (threads: $BENCH_THREADS)"
cargo bench --bench paired

step "graph layers: typed-torch, raw tch and torch_geometric interleaved (threads: $BENCH_THREADS)"
cargo bench --bench graph

step "Transformer encoder: typed-torch, raw tch and PyTorch eager interleaved (threads: $BENCH_THREADS)"
cargo bench --bench transformer

step "small batches: the compiled step, raw tch and PyTorch eager interleaved"
cargo bench --bench small_batch

step "linear algebra: typed-torch, raw tch and PyTorch eager interleaved (threads: $BENCH_THREADS)"
cargo bench --bench linalg

step "distributed: all-reduce through typed-torch and torch.distributed interleaved, DDP steps on 1 and 2 processes"
cargo bench -p typed-torch-distributed --bench allreduce | tee "$BENCH_OUT/distributed.md"

step "memory: 10,000 MLP training steps"
cargo bench --bench memory

step "PyTorch eager"
"$TYPED_TORCH_PYTHON" benches/pytorch.py

step "report"
load_note="load average (1, 5, 15 min) $load_before before the run, $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?') after, on $(nproc) cores${BENCH_LOAD_NOTE:+; $BENCH_LOAD_NOTE}"
# The settings of this run, next to its results, so the report can be rebuilt from BENCH_OUT alone.
"$TYPED_TORCH_PYTHON" -c 'import json, os, sys; json.dump({"threads": int(os.environ["BENCH_THREADS"]), "warmup_s": float(os.environ["BENCH_WARMUP_S"]), "measure_s": float(os.environ["BENCH_MEASURE_S"]), "samples": int(os.environ["BENCH_SAMPLES"]), "load": sys.argv[1]}, open(os.path.join(os.environ["BENCH_OUT"], "settings.json"), "w"))' "$load_note"
"$TYPED_TORCH_PYTHON" benches/report.py > benches/RESULTS.md
echo "wrote benches/RESULTS.md and benches/ratios.svg"
