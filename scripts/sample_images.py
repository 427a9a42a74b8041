"""Copies scikit-learn's two sample photographs and writes ImageNet's class names.

Usage: sample_images.py OUT_DIR

* `china.jpg` and `flower.jpg` (427 x 640 JPEG photographs that scikit-learn ships in
  `sklearn/datasets/images`): the real images of the transform parity tests and the image
  classification example.
* `imagenet_classes.txt`: the 1,000 class names of torchvision's ImageNet classifiers, one per line
  in class-index order, from the metadata torchvision ships with its weight enums (no weights are
  downloaded).
"""
import os
import shutil
import sys

import sklearn.datasets
import torchvision.models


def main(out):
    os.makedirs(out, exist_ok=True)
    images = os.path.join(os.path.dirname(sklearn.datasets.__file__), "images")
    for name in ("china.jpg", "flower.jpg"):
        shutil.copyfile(os.path.join(images, name), os.path.join(out, name))
    categories = torchvision.models.ResNet18_Weights.IMAGENET1K_V1.meta["categories"]
    assert len(categories) == 1000, len(categories)
    tmp = os.path.join(out, "imagenet_classes.txt.tmp")
    with open(tmp, "w") as f:
        f.write("\n".join(categories) + "\n")
    os.replace(tmp, os.path.join(out, "imagenet_classes.txt"))


if __name__ == "__main__":
    main(sys.argv[1])
