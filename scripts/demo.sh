#!/usr/bin/env bash
# The main demo on a fresh machine: set-up (idempotent), then the typed-tensor tour in release mode.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/scripts/setup.sh"
source "$root/scripts/env.sh"
cargo run --release --example tour
