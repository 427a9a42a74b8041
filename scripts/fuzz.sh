#!/usr/bin/env bash
# Fuzzes the checkpoint loader with cargo-fuzz (libFuzzer) for SECONDS (default 600).
#
# cargo-fuzz's default AddressSanitizer needs `-Zsanitizer=address` (nightly only). With `-s none`
# cargo-fuzz 0.13 passes only stable flags (`-Cpasses=sancov-module`, `-Cllvm-args=...`,
# `--cfg fuzzing`), so the coverage-guided libFuzzer run works on the stable toolchain this project
# pins; safe Rust needs no sanitizer (and libtorch is not instrumented either way).
# Needs `cargo install cargo-fuzz --locked` (0.13) once. Not part of the test suite.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-600}"
"$root/scripts/setup.sh" >/dev/null
source "$root/scripts/env.sh"
cd "$root/fuzz"
mkdir -p corpus/load_checkpoint
# The fuzz build has its own flags, so it gets its own target dir (and compiles torch-sys once).
cargo fuzz run -s none --target-dir "${CARGO_TARGET_DIR}-fuzz" load_checkpoint \
    corpus/load_checkpoint seeds -- -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=4096
