"""torchvision's ResNet-18 on scikit-learn's photographs, the reference of
tests/model/classify_image.rs.

Usage: classify.py IMAGES_DIR OUT_DIR

Writes OUT_DIR/resnet18.safetensors, the `state_dict` of torchvision's `resnet18` with random
weights (seed 0; the file a user would write from pretrained weights with
`safetensors.torch.save_file(model.state_dict(), path)`), and OUT_DIR/io.safetensors: for each
photo, PIL's pixels and the logits of the model in evaluation mode after torchvision's ImageNet
preset (`ResNet18_Weights.IMAGENET1K_V1.transforms()`: resize to 256, centre crop 224, scale,
normalise).
"""
import os
import sys

import numpy as np
import PIL.Image
import torch
import torchvision
from safetensors.torch import save_file


def main(images, out):
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    model = torchvision.models.resnet18().eval()
    save_file({k: v.contiguous() for k, v in model.state_dict().items()},
              os.path.join(out, "resnet18.safetensors"))
    preset = torchvision.models.ResNet18_Weights.IMAGENET1K_V1.transforms()
    io = {}
    for photo in ("china", "flower"):
        pil = np.asarray(PIL.Image.open(f"{images}/{photo}.jpg").convert("RGB"))
        x = torch.from_numpy(pil.copy()).permute(2, 0, 1).contiguous()
        io[f"{photo}.pil"] = x
        with torch.no_grad():
            io[f"{photo}.logits"] = model(preset(x).unsqueeze(0))[0].contiguous()
    save_file(io, os.path.join(out, "io.safetensors"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
