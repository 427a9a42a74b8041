#!/usr/bin/env bash
# The published crates as crates.io and docs.rs see them:
# 1. `cargo package` for each, with its verification build (the packaged crate, built alone);
# 2. their file lists: the library's sources, README and build script, nothing else;
# 3. the docs, built as docs.rs does: from the extracted crates outside the workspace (so its
#    `.cargo/config.toml`, which sets `LIBTORCH`, does not apply), no libtorch anywhere, a Python
#    without torch, the `[package.metadata.docs.rs]` features; every page of the workspace build
#    must be there.
# Run by scripts/test.sh after `cargo doc`, whose pages step 3 compares with.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source "$root/scripts/env.sh"

crates=(typed-torch-shape typed-torch-macros typed-torch)
version="$(cargo metadata --format-version 1 --no-deps | python3 -c \
  'import json, sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "typed-torch"))')"
fail() { printf '\033[1;31m[package] %s\033[0m\n' "$*" >&2; exit 1; }

# The verification builds compile each packaged crate, and the crates it depends on, as registry
# crates, which cargo takes for immutable: a cached build of an earlier state of the same crate
# version would be reused as it is (a changed derive macro would go unseen). So they get a target
# directory of their own, where a crate whose sources changed since the last run loses every
# cached build first.
pkg_target="$cache/target-package"
for crate in "${crates[@]}"; do
  dir="$(cargo metadata --format-version 1 --no-deps | python3 -c \
    "import json, sys, os; print(next(os.path.dirname(p['manifest_path']) for p in json.load(sys.stdin)['packages'] if p['name'] == '$crate'))")"
  # The files the package holds, as cargo lists them (generated ones such as Cargo.toml.orig left out).
  hash="$(cargo package --allow-dirty --list -p "$crate" 2>/dev/null | python3 -c '
import hashlib, os, sys
h = hashlib.sha256()
for name in sorted(l.strip() for l in sys.stdin):
    path = os.path.join(sys.argv[1], name)
    if os.path.isfile(path):  # Cargo.toml.orig and .cargo_vcs_info.json exist only in the package
        h.update(name.encode() + b"\0" + open(path, "rb").read())
print(h.hexdigest())' "$dir")"
  stamp="$pkg_target/sources-$crate"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$hash" ]; then
    # Exactly this crate's builds: `<name>-<16 hex digits>` (`typed-torch-*` would match the others).
    find "$pkg_target/debug/.fingerprint" -maxdepth 1 -regextype posix-extended \
      -regex ".*/$crate-[0-9a-f]{16}" -exec rm -rf {} + 2>/dev/null || true
    mkdir -p "$pkg_target"
    echo "$hash" > "$stamp"
  fi
done

# 1. Uncommitted changes are packaged too: this checks packaging, not the working tree. Cargo warns
# once per test, example and bench left out; Cargo.toml's `include` leaves them out on purpose.
CARGO_TARGET_DIR="$pkg_target" cargo package --allow-dirty "${crates[@]/#/-p}" \
  2> >(grep --line-buffered -v '^warning: ignoring \(example\|test\|benchmark\) `' >&2)

# 2. Only what a dependent builds from: sources, build script, README, cargo's own files.
for crate in "${crates[@]}"; do
  extra="$(CARGO_TARGET_DIR="$pkg_target" cargo package --allow-dirty --list -p "$crate" 2>/dev/null \
    | grep -Ev '^(src/.*\.(rs|cpp)|build\.rs|build/[a-z_]+\.rs|README\.md|Cargo\.toml|Cargo\.toml\.orig|Cargo\.lock|\.cargo_vcs_info\.json)$' || true)"
  [ -z "$extra" ] || fail "$crate packages unexpected files:"$'\n'"$extra"
  file="$pkg_target/package/$crate-$version.crate"
  printf '%s: %s files, %s KiB\n' "$crate" "$(tar -tzf "$file" | wc -l)" "$(( $(stat -c %s "$file") / 1024 ))"
done

# 3. docs.rs: the crates unpacked in a scratch directory, the dependencies on the unpublished
# typed-torch-shape/-macros pointed at their unpacked packages, as if published.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
for crate in "${crates[@]}"; do
  tar -xzf "$pkg_target/package/$crate-$version.crate" -C "$scratch"
done
# `cargo package` stamps every file with one fixed date, so the cached docs build below would take
# a changed build script or source for unchanged and reuse stale output: date them now.
find "$scratch" -type f -exec touch {} +
# A Python without torch first on the PATH: torch-sys must not need one.
mkdir "$scratch/bin"
for py in python python3; do
  printf '#!/bin/sh\necho "ModuleNotFoundError: No module named torch" >&2\nexit 1\n' > "$scratch/bin/$py"
  chmod +x "$scratch/bin/$py"
done
features="$(sed -n '/^\[package.metadata.docs.rs\]/,/^\[/s/^features = \[\(.*\)\]/\1/p' Cargo.toml | tr -d '" ')"
[ -n "$features" ] || fail "Cargo.toml has no [package.metadata.docs.rs] features"
docs_target="$cache/target-docs-rs"
toolchain="$(sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml)"
(
  cd "$scratch/typed-torch-$version"
  env -u LIBTORCH -u LIBTORCH_USE_PYTORCH -u LD_LIBRARY_PATH -u VIRTUAL_ENV -u TYPED_TORCH_PYTHON \
    PATH="$scratch/bin:$PATH" DOCS_RS=1 RUSTUP_TOOLCHAIN="$toolchain" CARGO_TARGET_DIR="$docs_target" \
    RUSTDOCFLAGS="-D warnings" \
    cargo doc --no-deps --features "$features" \
      --config "patch.crates-io.typed-torch-shape.path='$scratch/typed-torch-shape-$version'" \
      --config "patch.crates-io.typed-torch-macros.path='$scratch/typed-torch-macros-$version'"
)
# Same pages as the workspace's `cargo doc` (with libtorch): no item lost to the feature.
pages() { (cd "$1" && find . -name '*.html' | sort); }
missing="$(comm -23 <(pages "$CARGO_TARGET_DIR/doc/typed_torch") <(pages "$docs_target/doc/typed_torch"))"
[ -z "$missing" ] || fail "the docs.rs build lacks pages of the workspace build:"$'\n'"$missing"
printf 'docs without libtorch: %s pages of typed_torch, as in the workspace build\n' \
  "$(pages "$docs_target/doc/typed_torch" | wc -l)"
