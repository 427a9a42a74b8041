#!/usr/bin/env bash
# The whole test suite on a fresh machine: set-up (idempotent), formatting, lints, docs, packaging,
# tests. `cargo test` includes tests/own_crate/, which builds a scratch crate depending on
# typed-torch both documented ways (its own target directories in the cache).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/scripts/setup.sh"
source "$root/scripts/env.sh"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings
step "cargo check and clippy of the library without default features (plot, progress, csv)"
cargo check -p typed-torch --no-default-features
cargo clippy -p typed-torch --no-default-features -- -D warnings
step "cargo doc"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps
step "cargo package, and the docs as docs.rs builds them (no libtorch)"
"$root/scripts/package.sh"
step "cargo test"
log="$(mktemp)"
cargo test --workspace 2>&1 | tee "$log"
# libtorch warns when `.grad` is read on a tensor that is not an autograd leaf: a parameter in that
# state never receives gradients, so the model silently stops training. No test may trigger it.
if grep -q "non-leaf" "$log"; then
  printf '\n\033[1;31merror:\033[0m libtorch warned about reading the gradient of a non-leaf tensor:\n' >&2
  grep -n -m 5 "non-leaf" "$log" >&2
  exit 1
fi
rm -f "$log"
