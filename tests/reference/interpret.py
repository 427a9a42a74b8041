"""Captum's attributions, the reference of tests/model/interpret.rs.

Usage: interpret.py OUT_DIR

In f64, with random weights (seed 0):
* the LeNet of models/src/lenet.rs as an `nn.Sequential` (so its `state_dict` names are the typed
  model's), on 3 random 28 x 28 images with targets 3, 7 and 1: `Saliency`, `IntegratedGradients`
  (50 Gauss-Legendre points from a zero baseline, with the convergence delta; and 20 points of the
  trapezoid rule from a baseline of 0.5), `LayerGradCam` at the ReLU after the second convolution,
  without and with `relu_attributions`;
* torchvision's `resnet18` (10 classes, batch norms randomized as in zoo.py) on 2 random 64 x 64
  images with targets 2 and 5: `LayerGradCam` at `layer4`.
Writes OUT_DIR/lenet.safetensors, OUT_DIR/resnet18.safetensors (the state_dicts) and
OUT_DIR/captum.safetensors (inputs and attributions).
"""
import os
import sys

import torch
import torchvision
from captum.attr import IntegratedGradients, LayerGradCam, Saliency
from safetensors.torch import save_file
from torch import nn

LENET_TARGETS = [3, 7, 1]
RESNET_TARGETS = [2, 5]


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10),
    )


def state(model):
    return {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}


def main(out):
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    net = lenet().double().eval()
    x = torch.rand(3, 1, 28, 28, dtype=torch.float64)
    io = {"lenet.input": x}
    io["lenet.saliency"] = Saliency(net).attribute(x, target=LENET_TARGETS)
    ig, delta = IntegratedGradients(net).attribute(
        x, baselines=torch.zeros_like(x), target=LENET_TARGETS, n_steps=50,
        method="gausslegendre", return_convergence_delta=True)
    io["lenet.ig"], io["lenet.ig_delta"] = ig, delta
    io["lenet.ig_trapezoid"] = IntegratedGradients(net).attribute(
        x, baselines=torch.full_like(x, 0.5), target=LENET_TARGETS, n_steps=20,
        method="riemann_trapezoid")
    cam = LayerGradCam(net, net[4])
    io["lenet.grad_cam"] = cam.attribute(x, target=LENET_TARGETS)
    io["lenet.grad_cam_relu"] = cam.attribute(x, target=LENET_TARGETS, relu_attributions=True)
    save_file(state(net), os.path.join(out, "lenet.safetensors"))

    resnet = torchvision.models.resnet18(num_classes=10).double()
    with torch.no_grad():
        for module in resnet.modules():
            if isinstance(module, nn.BatchNorm2d):
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.2, 0.2)
                module.running_mean.uniform_(-0.2, 0.2)
                module.running_var.uniform_(0.5, 1.5)
    resnet.eval()
    xr = torch.rand(2, 3, 64, 64, dtype=torch.float64)
    io["resnet18.input"] = xr
    io["resnet18.grad_cam"] = LayerGradCam(resnet, resnet.layer4).attribute(xr, target=RESNET_TARGETS)
    save_file(state(resnet), os.path.join(out, "resnet18.safetensors"))
    save_file({k: v.detach().contiguous() for k, v in io.items()}, os.path.join(out, "captum.safetensors"))


if __name__ == "__main__":
    main(sys.argv[1])
