"""torch.nn equivalents of typed-torch's layers and example models, for checkpoint round trips
(tests/checkpoint/pytorch.rs).

`add` (called by ops.py) builds each module with random parameters and buffers, saves its
`state_dict` with `safetensors.torch.save` exactly as a PyTorch user would, and stores the file's
bytes (`ckpt.<case>.file`, u8), an input (`ckpt.<case>.in0`) and the module's output in eval mode
(`ckpt.<case>.out`); the Rust test loads the bytes as a checkpoint file and compares outputs.

`checkpoint_load.py` uses `CASES` for the other direction: it loads the checkpoints typed-torch
wrote into the same modules, strictly, and writes their outputs for the Rust test to compare.
"""
import torch
from torch import nn
from safetensors.torch import save


class Cnn(nn.Module):
    """typed_torch_models::cnn::Cnn: `features` and `classifier` stacks."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(*cnn_features())
        self.classifier = nn.Sequential(*cnn_classifier())

    def forward(self, x):
        return self.classifier(self.features(x))


def cnn_features():
    return [nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1, groups=2),
            nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(),
            nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(3)]


def cnn_classifier():
    return [nn.Flatten(), nn.Linear(288, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 32),
            nn.Tanh(), nn.Linear(32, 10)]


class SelfAttention(nn.Module):
    """MultiheadAttention(8, 2, batch_first=True) called on one input, as typed-torch's
    `forward(x)`; its state_dict names are the inner module's."""

    def __init__(self):
        super().__init__()
        self.mha = nn.MultiheadAttention(8, 2, batch_first=True)

    def state_dict(self, *args, **kwargs):
        return self.mha.state_dict(*args, **kwargs)

    def load_state_dict(self, state, strict=True):
        return self.mha.load_state_dict(state, strict=strict)

    def forward(self, x):
        return self.mha(x, x, x, need_weights=False)[0]


def digits(n=3):
    return torch.randn(n, 1, 28, 28)


# case -> (module builder, input maker). Inputs are f32 (indices i64), like the Rust layers.
CASES = {
    "linear": (lambda: nn.Linear(5, 3), lambda: torch.randn(4, 5)),
    "linear_nobias": (lambda: nn.Linear(5, 3, bias=False), lambda: torch.randn(4, 5)),
    "conv1d": (lambda: nn.Conv1d(4, 3, 5, stride=2, padding=2), lambda: torch.randn(2, 4, 11)),
    "conv2d": (lambda: nn.Conv2d(4, 6, 3, stride=2, padding=1, groups=2),
               lambda: torch.randn(2, 4, 9, 9)),
    "conv_transpose2d": (lambda: nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1,
                                                    groups=2),
                         lambda: torch.randn(2, 4, 5, 5)),
    "batchnorm1d": (lambda: nn.BatchNorm1d(3), lambda: torch.randn(6, 3)),
    "batchnorm2d": (lambda: nn.BatchNorm2d(2), lambda: torch.randn(3, 2, 4, 4)),
    "layernorm": (lambda: nn.LayerNorm(5), lambda: torch.randn(2, 3, 5)),
    "groupnorm": (lambda: nn.GroupNorm(2, 4), lambda: torch.randn(3, 4, 3, 3)),
    "embedding": (lambda: nn.Embedding(10, 4), lambda: torch.randint(0, 10, (2, 3))),
    "mha": (SelfAttention, lambda: torch.randn(2, 3, 8)),
    "mlp": (lambda: nn.Sequential(nn.Flatten(), nn.Linear(784, 300), nn.Sigmoid(),
                                  nn.Linear(300, 100), nn.Sigmoid(), nn.Linear(100, 10)), digits),
    "lenet": (lambda: nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                                    nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                                    nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                                    nn.Linear(84, 10)), digits),
    "cnn": (Cnn, digits),
    "cnn_stack": (lambda: nn.Sequential(*cnn_features(), *cnn_classifier()), digits),
}


def randomize(module):
    """Every parameter and buffer away from its default (biases, BatchNorm statistics...), so a
    tensor loaded under the wrong name shows in the output."""
    with torch.no_grad():
        for name, t in module.state_dict().items():
            if t.is_floating_point():
                if name.endswith("running_var"):
                    t.uniform_(0.5, 1.5)
                else:
                    t.uniform_(-0.5, 0.5)
            else:
                t.fill_(7)


def run(module, x):
    module.eval()
    with torch.no_grad():
        return module(x)


def add(case, T):
    for i, (name, (build, make_input)) in enumerate(CASES.items()):
        torch.manual_seed(100 + i)
        module = build()
        randomize(module)
        x = make_input()
        data = save(module.state_dict(), metadata={"source": "torch.nn"})
        T[f"ckpt.{name}.file"] = torch.frombuffer(bytearray(data), dtype=torch.uint8).clone()
        case(f"ckpt.{name}", [x], run(module, x))
