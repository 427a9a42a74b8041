"""torchvision.transforms.v2 on scikit-learn's sample photographs: the reference of
tests/data/vision.rs.

Usage: vision.py IMAGES_DIR OUT.safetensors

For each photo it stores PIL's decoding (`<photo>.pil`, the pixels scikit-learn's
`load_sample_image` returns, channels first) and torchvision's functional transforms applied to
those pixels, so the Rust side compares its own decoder with PIL's and its transforms with
torchvision's on the very same input.
"""
import sys

import numpy as np
import PIL.Image
import torch
import torchvision.transforms.v2 as T
import torchvision.transforms.v2.functional as F
from safetensors.torch import save_file

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]
BILINEAR = T.InterpolationMode.BILINEAR
BICUBIC = T.InterpolationMode.BICUBIC
NEAREST = T.InterpolationMode.NEAREST


def cases(x):
    """Every transform case on one u8 image `x` of shape (3, H, W)."""
    out = {}
    out["resize256"] = F.resize(x, [256])
    out["resize_100x150_bilinear"] = F.resize(x, [100, 150], BILINEAR, antialias=False)
    out["resize_100x150_bicubic_aa"] = F.resize(x, [100, 150], BICUBIC, antialias=True)
    out["resize_100x150_nearest"] = F.resize(x, [100, 150], NEAREST)
    out["upscale_500x700"] = F.resize(x, [500, 700])
    out["center_crop224"] = F.center_crop(F.resize(x, [256]), [224, 224])
    out["center_crop_pad"] = F.center_crop(x, [431, 645])
    out["resized_crop"] = F.resized_crop(x, 50, 100, 200, 300, [224, 224])
    out["hflip"] = F.horizontal_flip(x)
    out["gray"] = F.rgb_to_grayscale(x)
    out["float_resize64"] = F.resize(F.to_dtype(x, torch.float32, scale=True), [64])
    eval_preset = T.Compose(
        [
            T.Resize(256),
            T.CenterCrop(224),
            T.ToDtype(torch.float32, scale=True),
            T.Normalize(IMAGENET_MEAN, IMAGENET_STD),
        ]
    )
    out["imagenet_eval"] = eval_preset(x)
    return out


def main(images, out):
    tensors = {}
    for photo in ("china", "flower"):
        pil = np.asarray(PIL.Image.open(f"{images}/{photo}.jpg").convert("RGB"))
        x = torch.from_numpy(pil.copy()).permute(2, 0, 1).contiguous()
        tensors[f"{photo}.pil"] = x
        for name, value in cases(x).items():
            tensors[f"{photo}.{name}"] = value.contiguous()
    save_file(tensors, out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
