"""PyTorch reference values for tests/ops/vs_pytorch.rs and, through the modules imported at the
end, for the other tests that compare with PyTorch (tests/common/mod.rs runs this once per binary).

Usage: ops.py OUT.safetensors

Every case `c` stores its inputs as `c.in0`, `c.in1`, ... and PyTorch's result as `c.out`
(autograd cases also store `c.grad0`, `c.grad1`, ...), all in one safetensors file.
Float cases are f64 unless their name says f32; index tensors are i64.
"""
import os
import sys

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

torch.manual_seed(0)
T = {}


def case(name, inputs, out, grads=()):
    for i, x in enumerate(inputs):
        T[f"{name}.in{i}"] = x.detach().clone().contiguous()
    T[f"{name}.out"] = out.detach().clone().contiguous()
    for i, g in enumerate(grads):
        T[f"{name}.grad{i}"] = g.detach().clone().contiguous()


def randn(*s, dtype=torch.float64):
    return torch.randn(*s, dtype=dtype)


def pos(*s, dtype=torch.float64):
    return torch.rand(*s, dtype=dtype) + 0.5


# ---- unary ----------------------------------------------------------------------------------
x = randn(3, 4)
x[0, 0] = 0.0  # sign(0), relu(0)
xp = pos(3, 4)
unary = {
    "exp": (x, torch.exp), "log": (xp, torch.log), "sqrt": (xp, torch.sqrt),
    "rsqrt": (xp, torch.rsqrt), "sin": (x, torch.sin), "cos": (x, torch.cos),
    "tanh": (x, torch.tanh), "sigmoid": (x, torch.sigmoid), "reciprocal": (xp, torch.reciprocal),
    "silu": (x, F.silu), "log_sigmoid": (x, F.logsigmoid), "softplus": (x * 10, F.softplus),
    "hardtanh": (x * 2, F.hardtanh), "relu6": (x * 8, F.relu6), "relu": (x, torch.relu), "abs": (x, torch.abs),
    "neg": (x, torch.neg), "square": (x, torch.square), "sign": (x, torch.sign),
    "gelu": (x, F.gelu), "gelu_tanh": (x, lambda t: F.gelu(t, approximate="tanh")),
    "leaky_relu": (x, lambda t: F.leaky_relu(t, 0.2)), "elu": (x, lambda t: F.elu(t, 0.5)),
    "pow_scalar": (xp, lambda t: torch.pow(t, 2.5)), "pow_scalar3": (x, lambda t: torch.pow(t, 3.0)),
    "clamp": (x, lambda t: torch.clamp(t, -0.5, 0.7)),
}
for name, (inp, f) in unary.items():
    case(f"unary.{name}", [inp], f(inp))
x32 = randn(2, 5, dtype=torch.float32)
for name, f in {"exp": torch.exp, "tanh": torch.tanh, "gelu": F.gelu, "sigmoid": torch.sigmoid,
                "leaky_relu": lambda t: F.leaky_relu(t, 0.2), "elu": lambda t: F.elu(t, 0.5)}.items():
    case(f"unary_f32.{name}", [x32], f(x32))
xi = torch.randint(-5, 6, (2, 5))
for name, f in {"relu": torch.relu, "abs": torch.abs, "neg": torch.neg, "square": torch.square,
                "sign": torch.sign, "clamp": lambda t: torch.clamp(t, -2, 3)}.items():
    case(f"unary_i64.{name}", [xi], f(xi))

# ---- binary ---------------------------------------------------------------------------------
a, b = randn(5, 3), randn(3)
case("bin.add_bcast", [a, b], a + b)
a, b = randn(2, 1, 4), randn(3, 1)
case("bin.mul_bcast", [a, b], a * b)
a, b = randn(3, 4), randn(3, 4)
case("bin.sub", [a, b], a - b)
a, b = randn(3, 4), pos(1, 4)
case("bin.div_bcast", [a, b], a / b)
a = randn(3, 4)
case("bin.add_scalar", [a], a + 2.5)
case("bin.sub_scalar", [a], a - 1.5)
case("bin.mul_scalar", [a], a * 3.0)
case("bin.div_scalar", [a], a / 4.0)
case("bin.neg_op", [a], -a)
a, b = randn(3, 4), randn(4)
case("bin.maximum", [a, b], torch.maximum(a, b))
case("bin.minimum", [a, b], torch.minimum(a, b))
a, b = randn(2, 3, dtype=torch.float32), randn(2, 1, dtype=torch.float32)
case("bin_f32.add", [a, b], a + b)
case("bin_f32.div", [a, b], a / b)
a, b = torch.randint(-9, 10, (2, 4)), torch.randint(1, 4, (4,))
case("bin_i64.add", [a, b], a + b)
case("bin_i64.mul", [a, b], a * b)
case("bin_i64.mul_scalar", [a], a * 3)
case("bin_i64.div", [a, b], torch.div(a, b, rounding_mode="trunc"))
case("bin_i64.div_scalar", [a], torch.div(a, 2, rounding_mode="trunc"))

# ---- comparisons, where_ --------------------------------------------------------------------
a, b = torch.randint(0, 3, (3, 4)).double(), torch.randint(0, 3, (4,)).double()
for name, f in {"eq": torch.eq, "ne": torch.ne, "lt": torch.lt, "le": torch.le, "gt": torch.gt,
                "ge": torch.ge}.items():
    case(f"cmp.{name}", [a, b], f(a, b))
case("cmp.gt_scalar", [a], a > 1.0)
case("cmp.eq_scalar", [a], a == 1.0)
case("cmp.lt_scalar", [a], a < 1.0)
cond = randn(3, 4) > 0
t, f = randn(3, 4), randn(4)
case("cmp.where", [cond, t, f], torch.where(cond, t, f))
cond = randn(3, 1) > 0
t, f = randn(1, 4), randn(3, 4)
case("cmp.where_bcast", [cond, t, f], torch.where(cond, t, f))
case("cmp.logical_not", [cond], torch.logical_not(cond))

# ---- matmul ---------------------------------------------------------------------------------
mm = {
    "vv": ((4,), (4,)), "mv": ((3, 4), (4,)), "vm": ((4,), (4, 5)), "mm": ((3, 4), (4, 5)),
    "b_m": ((2, 3, 4), (4, 5)), "b_b": ((2, 3, 4), (2, 4, 5)), "bcast": ((1, 3, 4), (3, 4, 5)),
    "r4": ((2, 3, 4, 5), (2, 3, 5, 6)), "r4_bcast": ((2, 1, 4, 5), (1, 3, 5, 6)),
    "r4_m": ((2, 3, 4, 5), (5, 6)),
}
for name, (sa, sb) in mm.items():
    a, b = randn(*sa), randn(*sb)
    case(f"mm.{name}", [a, b], a @ b)
a, b = randn(3, 8, dtype=torch.float32), randn(8, 2, dtype=torch.float32)
case("mm_f32.mm", [a, b], a @ b)
a = randn(3, 4)
case("mm.t", [a], a.t())

# ---- reductions -----------------------------------------------------------------------------
x = randn(3, 4, 5)
red = {
    "sum": lambda t, d, k: t.sum(d, keepdim=k), "max": lambda t, d, k: t.amax(d, keepdim=k),
    "min": lambda t, d, k: t.amin(d, keepdim=k), "mean": lambda t, d, k: t.mean(d, keepdim=k),
    "logsumexp": lambda t, d, k: t.logsumexp(d, keepdim=k),
    "var": lambda t, d, k: t.var(d, keepdim=k), "std": lambda t, d, k: t.std(d, keepdim=k),
}
for name, f in red.items():
    for d in (0, 1, 2):
        case(f"red.{name}.{d}", [x], f(x, d, False))
        case(f"red.{name}_keepdim.{d}", [x], f(x, d, True))
for d in (0, 1, 2):
    case(f"red.argmax.{d}", [x], x.argmax(d))
    case(f"red.argmin.{d}", [x], x.argmin(d))
    case(f"red.softmax.{d}", [x], x.softmax(d))
    case(f"red.log_softmax.{d}", [x], x.log_softmax(d))
case("red.sum_all", [x], x.sum())
case("red.mean_all", [x], x.mean())
x32 = randn(4, 6, dtype=torch.float32)
case("red_f32.softmax.1", [x32], x32.softmax(1))
case("red_f32.log_softmax.1", [x32], x32.log_softmax(1))
case("red_f32.var.0", [x32], x32.var(0))
case("red_f32.mean_all", [x32], x32.mean())
xi = torch.randint(-50, 50, (3, 4))
case("red_i64.sum.1", [xi], xi.sum(1))
case("red_i64.max.0", [xi], xi.amax(0))
case("red_i64.sum_all", [xi], xi.sum())

# ---- reshape family -------------------------------------------------------------------------
x = randn(2, 3, 4)
case("shape.reshape", [x], x.reshape(6, 4))
case("shape.try_reshape_dyn0", [x], x.reshape(-1, 4))
case("shape.try_reshape_dyn1", [x], x.reshape(4, -1))
case("shape.try_reshape_static", [x], x.reshape(3, 8))
case("shape.flatten_1_2", [x], x.flatten(1, 2))
case("shape.flatten_0_1", [x], x.flatten(0, 1))
case("shape.flatten_all", [x], x.flatten())
case("shape.transpose_0_2", [x], x.transpose(0, 2))
case("shape.permute_201", [x], x.permute(2, 0, 1))
x = randn(3, 1, 4)
case("shape.squeeze_1", [x], x.squeeze(1))
x = randn(3, 4)
case("shape.unsqueeze_0", [x], x.unsqueeze(0))
case("shape.unsqueeze_1", [x], x.unsqueeze(1))
case("shape.unsqueeze_2", [x], x.unsqueeze(2))

# ---- join, index ----------------------------------------------------------------------------
a, b = randn(2, 3), randn(4, 3)
case("join.cat0", [a, b], torch.cat([a, b], 0))
a, b = randn(2, 3), randn(2, 5)
case("join.cat1", [a, b], torch.cat([a, b], 1))
a, b, c = randn(2, 3), randn(2, 3), randn(2, 3)
case("join.stack0", [a, b, c], torch.stack([a, b, c], 0))
case("join.stack1", [a, b, c], torch.stack([a, b, c], 1))
case("join.stack2", [a, b, c], torch.stack([a, b, c], 2))
x = randn(3, 5)
case("index.narrow", [x], x.narrow(1, 1, 3))
x = randn(4, 5)
case("index.narrow_dyn", [x], x.narrow(0, 1, 2))
case("index.narrow_dyn1", [x], x.narrow(1, 2, 3))
x, i = randn(4, 5), torch.tensor([3, 0, 3])
case("index.index_select0", [x, i], x.index_select(0, i))
i = torch.tensor([4, 1, 1, 0, 2, 3])
case("index.index_select1", [x, i], x.index_select(1, i))
x, i = randn(3, 4), torch.randint(0, 4, (3, 2))
case("index.gather1", [x, i], x.gather(1, i))
i = torch.randint(0, 3, (2, 4))
case("index.gather0", [x, i], x.gather(0, i))
i = torch.tensor([0, 4, 2, 2])
case("index.one_hot1", [i], F.one_hot(i, 5))
i = torch.randint(0, 3, (2, 3))
case("index.one_hot2", [i], F.one_hot(i, 3))

# ---- convolutions ---------------------------------------------------------------------------
x, w, b = randn(2, 4, 10), randn(6, 2, 3), randn(6)
case("conv.conv1d", [x, w, b], F.conv1d(x, w, b, stride=2, padding=1, groups=2))
x, w = randn(2, 3, 9), randn(5, 3, 2)
case("conv.conv1d_dil", [x, w], F.conv1d(x, w, dilation=3))
x, w, b = randn(2, 3, 8, 8), randn(4, 3, 3, 3), randn(4)
case("conv.conv2d", [x, w, b], F.conv2d(x, w, b))
case("conv.conv2d_stride_pad", [x, w, b], F.conv2d(x, w, b, stride=2, padding=1))
case("conv.conv2d_dil", [x, w], F.conv2d(x, w, dilation=2, padding=1))
x, w, b = randn(2, 6, 7, 7), randn(9, 2, 3, 3), randn(9)
case("conv.conv2d_groups", [x, w, b], F.conv2d(x, w, b, stride=2, groups=3))
x, w = randn(1, 3, 6, 6, dtype=torch.float32), randn(2, 3, 3, 3, dtype=torch.float32)
case("conv_f32.conv2d", [x, w], F.conv2d(x, w, padding=1))
x, w, b = randn(2, 4, 5, 5), randn(4, 3, 3, 3), randn(3)
case("conv.tconv2d", [x, w, b], F.conv_transpose2d(x, w, b))
case("conv.tconv2d_stride", [x, w, b], F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1))
x, w, b = randn(2, 4, 5, 5), randn(4, 3, 3, 3), randn(6)
case("conv.tconv2d_groups", [x, w, b], F.conv_transpose2d(x, w, b, stride=2, groups=2))
x, w = randn(1, 2, 4, 4), randn(2, 3, 2, 2)
case("conv.tconv2d_dil", [x, w], F.conv_transpose2d(x, w, stride=3, padding=2, output_padding=1, dilation=2))

# ---- pooling --------------------------------------------------------------------------------
x = randn(2, 3, 8, 8)
case("pool.max_k2s2", [x], F.max_pool2d(x, 2, 2))
case("pool.max_k3s2p1", [x], F.max_pool2d(x, 3, 2, 1))
case("pool.max_k2s1d2", [x], F.max_pool2d(x, 2, 1, 0, 2))
case("pool.avg_k2s2", [x], F.avg_pool2d(x, 2, 2))
case("pool.avg_k3s2p1", [x], F.avg_pool2d(x, 3, 2, 1))
x = randn(2, 3, 7, 7)
case("pool.adaptive_3x3", [x], F.adaptive_avg_pool2d(x, (3, 3)))
case("pool.adaptive_1x1", [x], F.adaptive_avg_pool2d(x, (1, 1)))
case("pool.adaptive_2x4", [x], F.adaptive_avg_pool2d(x, (2, 4)))

# ---- nn, kinds ------------------------------------------------------------------------------
w, i = randn(10, 4), torch.tensor([[1, 9, 1], [0, 3, 5]])
case("nn.embedding", [w, i], F.embedding(i, w))
i = torch.tensor([7, 2, 2, 0, 9])
case("nn.embedding1", [w, i], F.embedding(i, w))
x = randn(3, 4) * 5
case("kind.f64_f32", [x], x.float())
case("kind.f64_i64", [x], x.long())
xi = torch.randint(-100, 100, (3, 4))
case("kind.i64_f64", [xi], xi.double())
case("kind.i64_bool", [xi], xi.bool())

# ---- autograd -------------------------------------------------------------------------------
x, w, b = randn(5, 4), randn(4, 3), randn(3)
for t in (x, w, b):
    t.requires_grad_(True)
loss = torch.tanh(x @ w + b).log_softmax(1).mean() + 0.1 * (w * w).sum() + torch.sigmoid(b).sum().exp()
loss = loss + (x.relu() / 3.0).sum()
loss.backward()
case("grad.composite", [x, w, b], loss, [x.grad, w.grad, b.grad])

# ---- layers: torch.nn modules whose state_dict the typed models load by name ----------------
mlp = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2, bias=False)).double()
for k, v in mlp.state_dict().items():
    T[f"layers.mlp.param.{k}"] = v.detach().clone().contiguous()
x = randn(5, 4)
case("layers.mlp", [x], mlp(x))
x3 = randn(2, 5, 4)
case("layers.mlp3d", [x3], mlp(x3))

class StructMlp(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(4, 3)
        self.blocks = torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Tanh())
        self.fc2 = torch.nn.Linear(3, 2)

    def forward(self, x):
        return self.fc2(self.blocks(torch.relu(self.fc1(x))))


smlp = StructMlp().double()
for k, v in smlp.state_dict().items():
    T[f"layers.struct_mlp.param.{k}"] = v.detach().clone().contiguous()
x = randn(6, 4)
case("layers.struct_mlp", [x], smlp(x))

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import losses  # noqa: E402
import layers_cnn  # noqa: E402
import layers_misc  # noqa: E402
import layers_normalization  # noqa: E402
import layers_attention  # noqa: E402
import layers_recurrent  # noqa: E402
import optim  # noqa: E402
import schedules  # noqa: E402
import checkpoints  # noqa: E402
import init  # noqa: E402
import graph_scatter  # noqa: E402
import graph_layers  # noqa: E402
import distributions  # noqa: E402
import vae  # noqa: E402
import transformer  # noqa: E402
import linalg  # noqa: E402

losses.add(case, T)
layers_cnn.add(case, T)
layers_misc.add(case, T)
layers_normalization.add(case, T)
layers_attention.add(case, T)
layers_recurrent.add(case, T)
optim.add(case, T)
schedules.add(case, T)
checkpoints.add(case, T)
init.add(case, T)
graph_scatter.add(case, T)
graph_layers.add(case, T)
distributions.add(case, T)
vae.add(case, T)
transformer.add(case, T)
linalg.add(case, T)

path = sys.argv[1]
tmp = f"{path}.{os.getpid()}.tmp"
save_file(T, tmp)
os.replace(tmp, path)
