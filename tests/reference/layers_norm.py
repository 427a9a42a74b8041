"""PyTorch reference cases for the norm layers (see layers_vs_pytorch.rs); called by ops.py.

`add(case, T)`: `case(name, inputs, out, grads=())` stores a case; modules' parameters go into
`T[f"{name}.param.{key}"]` for each `state_dict` key, so the Rust side loads them by name.
"""
import torch
import torch.nn.functional as F


def add(case, T):
    pass
