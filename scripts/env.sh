# Sourced by the scripts: builds go to a target directory in the cache, keyed by nothing
# clone-specific, so a second clone (or a CI run) reuses the compiled torch-sys (2-3 minutes of C++)
# instead of rebuilding it. Plain `cargo` in a clone uses ./target and works as well.
cache="${TYPED_TORCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/typed-torch}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$cache/target}"
# A clone-independent LIBTORCH keeps torch-sys's build fingerprint stable across clones.
LIBTORCH="$(readlink -f "$root/.typed-torch/libtorch")"
export LIBTORCH
export LD_LIBRARY_PATH="$LIBTORCH/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export TYPED_TORCH_PYTHON="$root/.typed-torch/python"
