"""Loads the checkpoints typed-torch wrote into the equivalent torch.nn modules and runs them.

Usage: checkpoint_load.py DIR

For each DIR/<case>.model.safetensors (a typed-torch checkpoint) this builds `checkpoints.CASES`'
module, loads the file with `safetensors.torch.load_file` + `load_state_dict(strict=True)` (no
renaming, no conversion: the dtypes must already be the module's), runs it in eval mode on the
input DIR/<case>.input.safetensors, and writes DIR/<case>.output.safetensors for the Rust test.
"""
import glob
import os
import sys

import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checkpoints import CASES, run  # noqa: E402

directory = sys.argv[1]
done = 0
for path in sorted(glob.glob(os.path.join(directory, "*.model.safetensors"))):
    name = os.path.basename(path)[: -len(".model.safetensors")]
    build, _ = CASES[name]
    module = build()
    state = load_file(path)
    expected = module.state_dict()
    for key, t in state.items():
        if key in expected and t.dtype != expected[key].dtype:
            sys.exit(f"{name}: `{key}` is {t.dtype} in the checkpoint, {expected[key].dtype} in torch.nn")
    module.load_state_dict(state, strict=True)
    with safe_open(path, "pt") as f:
        meta = f.metadata()
    if meta.get("format") != "typed-torch":
        sys.exit(f"{name}: metadata {meta}")
    x = load_file(os.path.join(directory, f"{name}.input.safetensors"))["x"]
    y = run(module, x).contiguous()
    save_file({"y": y}, os.path.join(directory, f"{name}.output.safetensors"))
    done += 1
print(f"{done} checkpoints loaded into torch.nn")
