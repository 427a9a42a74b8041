"""torchvision's models, the reference of tests/model/zoo.rs.

Usage: zoo.py OUT_DIR NAME [NAME...], NAME one of torchvision.models' builders (`resnet18`...).

For each model, in f64 with random weights (seed 0; the batch norms' affine parameters and running
statistics randomized too, so that evaluation mode is not the identity), writes
OUT_DIR/NAME.state.safetensors, its `state_dict` (the file the typed model must load strictly),
and OUT_DIR/NAME.io.safetensors: the input (2 images, 3 x 64 x 64), then in evaluation mode and in
training mode the logits and the gradient of `sum(logits * w)` with respect to the input
(`w = linspace(0.5, 1.5)`), each pass right after `torch.manual_seed(1)` (dropout's masks), and
the running statistics of the first batch norm after the training pass.
"""
import os
import sys

import torch
import torchvision
from safetensors.torch import save_file


def export(name, out):
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)(num_classes=10).double()
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.2, 0.2)
                module.running_mean.uniform_(-0.2, 0.2)
                module.running_var.uniform_(0.5, 1.5)
    state = {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}
    save_file(state, os.path.join(out, f"{name}.state.safetensors"))

    x = torch.randn(2, 3, 64, 64, dtype=torch.float64)
    io = {"input": x}
    first_bn, first_name = next((m, n) for n, m in model.named_modules()
                                if isinstance(m, torch.nn.BatchNorm2d))
    for mode in ("eval", "train"):
        model.train(mode == "train")
        # Dropout draws its masks from the global generator: the Rust side seeds it the same.
        torch.manual_seed(1)
        leaf = x.clone().requires_grad_(True)
        logits = model(leaf)
        w = torch.linspace(0.5, 1.5, logits.numel(), dtype=torch.float64).reshape(logits.shape)
        (grad,) = torch.autograd.grad((logits * w).sum(), leaf)
        io[f"{mode}.logits"] = logits.detach().contiguous()
        io[f"{mode}.input_grad"] = grad.contiguous()
    io[f"train.{first_name}.running_mean"] = first_bn.running_mean.clone()
    io[f"train.{first_name}.running_var"] = first_bn.running_var.clone()
    save_file(io, os.path.join(out, f"{name}.io.safetensors"))


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name in sys.argv[2:]:
        export(name, out)
