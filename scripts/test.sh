#!/usr/bin/env bash
# The whole test suite on a fresh machine: set-up (idempotent), formatting, lints, docs, packaging,
# tests. `cargo test` includes tests/own_crate.rs, which builds a scratch crate depending on
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
step "cargo doc"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps
step "cargo package, and the docs as docs.rs builds them (no libtorch)"
"$root/scripts/package.sh"
step "cargo test"
cargo test --workspace
