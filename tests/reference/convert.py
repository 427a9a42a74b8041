"""The models of tests/own_crate/converter.rs, converted by scripts/torch2typed.py.

Usage: convert.py OUT_DIR

For each model (in f64, seeded, eval mode): `convert()` writes OUT_DIR/<name>.rs and
OUT_DIR/<name>.safetensors (its state_dict) as the command line would, and
OUT_DIR/<name>.io.safetensors holds an input and PyTorch's output for it. LeNet is converted by
the test through the command line (`convert.py:lenet`); only its input and output are written
here. The norms get random affine parameters and the batch norms random running statistics, so
that evaluation mode is not close to the identity.

The factories below are also SPECs for the command line: `tests/reference/convert.py:lenet`,
and the failing cases `convert.py:with_lstm`, `convert.py:with_fft` and `convert.py:with_inplace`.
"""
import os
import sys

import torch
import torch.nn.functional as F
import torchvision
from safetensors.torch import save_file
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts"))
import torch2typed  # noqa: E402


def lenet():
    """models/src/lenet.rs as an nn.Sequential, seeded so that every call gives the same weights."""
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10),
    )


class TinyTransformer(nn.Module):
    """A sequence classifier: input projection, a 2-layer pre-norm GELU encoder with a final norm
    (non-default dropout, so the generated `init` sets it), mean over the steps, linear head."""

    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(8, 32)
        layer = nn.TransformerEncoderLayer(32, 4, 64, dropout=0.2, activation="gelu",
                                           batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(32),
                                             enable_nested_tensor=False)
        self.head = nn.Linear(32, 5)

    def forward(self, x):
        h = torch.relu(self.proj(x))
        h = self.encoder(h) + h
        return self.head(h.mean(dim=1))


class SmallCnn(nn.Module):
    """What the other models leave out: `padding="same"`, dilation with groups, batch-norm and
    layer-norm settings, average pooling, GELU, Tanh, Sigmoid, LeakyReLU and Softmax modules,
    functional activations, arithmetic with numbers, dropout with its own rate."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding="same")
        self.bn = nn.BatchNorm2d(8, eps=1e-3, momentum=0.01)
        self.act = nn.GELU()
        self.pool = nn.AvgPool2d(2)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=2, dilation=2, groups=2, bias=False)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        self.drop = nn.Dropout(0.3)
        self.fc = nn.Linear(8 * 4 * 4, 24)
        self.norm = nn.LayerNorm(24, eps=1e-6)
        self.out = nn.Sequential(nn.Linear(24, 6), nn.Tanh(), nn.Sigmoid(), nn.LeakyReLU(0.2),
                                 nn.Softmax(dim=-1))

    def forward(self, x):
        h = self.pool(self.act(self.bn(self.conv1(x))))
        h = torch.sigmoid(self.conv2(h)) * 2.0 + h - 0.5
        h = F.relu6(self.maxpool(h) + 1)
        h = self.drop(torch.flatten(h, 1))
        h = self.norm(F.gelu(self.fc(h)))
        return self.out(torch.tanh(h))


class TokenBag(nn.Module):
    """Token ids (int64) in: an embedding with a padding row, a norm, the mean over the steps kept
    as an axis and joined to its double, a linear head, flattened."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(50, 16, padding_idx=0)
        self.norm = nn.LayerNorm(16)
        self.head = nn.Linear(32, 4)

    def forward(self, ids):
        pooled = self.norm(self.embed(ids)).mean(1, keepdim=True)
        return self.head(torch.cat([pooled, pooled * 2.0], dim=2)).flatten(1)


class WithLstm(nn.Module):
    """A recurrent layer typed-torch's converter does not map."""

    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(8, 16)
        self.lstm = nn.LSTM(16, 16, batch_first=True)

    def forward(self, x):
        out, _ = self.lstm(self.proj(x))
        return out.mean(1)


class WithFft(nn.Module):
    """A torch function the converter does not map."""

    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(8, 8)

    def forward(self, x):
        spectrum = torch.fft.rfft(self.proj(x), dim=1).abs()
        return spectrum.mean(1)


class WithInplace(nn.Module):
    """An in-place activation on a value used again: PyTorch adds the activated values twice."""

    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(8, 8)

    def forward(self, x):
        h = self.proj(x)
        y = F.relu(h, inplace=True)
        return (y + h).mean(1)


def with_lstm():
    return WithLstm()


def with_fft():
    return WithFft()


def with_inplace():
    return WithInplace()


def randomize(model):
    """Random batch-norm and layer-norm parameters and statistics (weights otherwise PyTorch's)."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.BatchNorm2d, nn.LayerNorm)):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 1.5)


def save_io(out, stem, model, x):
    """OUT/<stem>.io.safetensors: the input and the model's output in evaluation mode."""
    model.eval()
    with torch.no_grad():
        y = model(x)
    save_file({"input": x.contiguous(), "output": y.contiguous()},
              os.path.join(out, f"{stem}.io.safetensors"))


def main(out):
    os.makedirs(out, exist_ok=True)
    g = torch.Generator().manual_seed(1)

    def randn(*shape):
        return torch.randn(*shape, dtype=torch.float64, generator=g)

    save_io(out, "lenet", lenet().double(), randn(2, 1, 28, 28))
    cases = [
        ("SmallCnn", SmallCnn, randn(2, 3, 16, 16)),
        ("TokenBag", TokenBag, torch.randint(0, 50, (2, 12), generator=g)),
        ("TinyTransformer", TinyTransformer, randn(2, 10, 8)),
        ("ResNet18", lambda: torchvision.models.resnet18(num_classes=10), randn(2, 3, 64, 64)),
        ("MobileNetV2", lambda: torchvision.models.mobilenet_v2(num_classes=10),
         randn(2, 3, 64, 64)),
    ]
    for name, make, x in cases:
        torch.manual_seed(0)
        model = make().double()
        randomize(model)
        source, state = torch2typed.convert(model, x, name)
        torch2typed.write(out, name, source, state)
        save_io(out, torch2typed.file_stem(name), model, x)


if __name__ == "__main__":
    main(sys.argv[1])
