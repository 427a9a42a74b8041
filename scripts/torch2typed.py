"""torch2typed: converts a PyTorch `nn.Module` into a typed-torch model.

The module is traced with `torch.fx` (layers typed-torch has whole, such as
`nn.TransformerEncoderLayer`, stay single calls), every node is mapped to a typed-torch layer or
tensor op, and the size of every intermediate tensor comes from running the trace on an example
input (`torch.fx.passes.shape_prop.ShapeProp`). The result is Rust source for a model whose types
hold every size (the batch, dim 0 of the input, stays a type parameter `B`) and a safetensors file
of the module's `state_dict`, which loads strictly into it: the generated fields keep PyTorch's
names.

Anything without a typed-torch equivalent is listed with its node, what it calls and its source
line, and nothing is written.

Usage:
    torch2typed.py SPEC --input 1,3,224,224 --name ResNet18 --out DIR [--kwargs JSON]
                   [--dtype float32|float64] [--input-dtype float32|float64|int64]

SPEC is `package.module:Attr` (`torchvision.models:resnet18`) or `path/to/file.py:Attr`, where
`Attr` is a class or a function returning a module (called with `--kwargs`) or a module. Writes
DIR/<name in lower case>.rs and DIR/<name in lower case>.safetensors.

From Python, `convert(module, example_input, name)` returns the source and the state_dict, and
`write(out_dir, name, source, state_dict)` writes them as the command line does.
"""
import argparse
import importlib
import importlib.util
import json
import operator
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field

import torch
import torch.fx as fx
import torch.nn.functional as F
from safetensors.torch import save_file
from torch import nn
from torch.fx.passes.shape_prop import ShapeProp

RUST_KEYWORDS = frozenset(
    "as async await break const continue crate dyn else enum extern false fn for gen if impl in "
    "let loop match mod move mut pub ref return self Self static struct super trait true type "
    "unsafe use where while abstract become box do final macro override priv try typeof unsized "
    "virtual yield".split()
)
NN, OPT = "typed_torch::nn", "typed_torch::options"


class ConversionError(Exception):
    """The module cannot be converted; `problems` lists every reason, one string each."""

    def __init__(self, name, problems):
        self.problems = problems
        plural = "s" if len(problems) > 1 else ""
        super().__init__(f"cannot convert {name}: {len(problems)} problem{plural}\n"
                         + "\n".join(f"  - {p}" for p in problems))


# ---------------------------------------------------------------------------------------------
# Rust text


def rust_ident(text):
    """A snake-case Rust identifier from a PyTorch name (`layer1.0.conv1` -> `layer1_0_conv1`)."""
    ident = re.sub(r"\W", "_", text).lower()
    if not ident or ident[0].isdigit():
        ident = "layer_" + ident
    return ident + "_" if ident in RUST_KEYWORDS else ident


def unique(ident, taken):
    """`ident`, or `ident_2`, `ident_3`... if taken; marks the result taken."""
    result, i = ident, 1
    while result in taken:
        i += 1
        result = f"{ident}_{i}"
    taken.add(result)
    return result


def options(opts):
    """A layer's option argument: `()`, one option, or a tuple of them."""
    if not opts:
        return "()"
    return opts[0] if len(opts) == 1 else "(" + ", ".join(opts) + ")"


def float_literal(x):
    """A Rust f64 literal for a finite Python number (`0.5`, `2.0`, `1e-6`)."""
    text = re.sub(r"e(-?)0*(\d)", r"e\1\2", repr(float(x)))
    return text if any(c in text for c in ".e") else text + ".0"


class Imports:
    """The `use` lines of a generated file, by path."""

    def __init__(self):
        self.paths = {}

    def add(self, path, *names):
        self.paths.setdefault(path, set()).update(names)

    def add_full(self, full_names):
        """Adds `typed_torch::nn::Conv2d`-style names."""
        for full in full_names:
            path, name = full.rsplit("::", 1)
            self.add(path, name)

    def names(self):
        return set().union(*self.paths.values())

    def render(self):
        lines = []
        for path in sorted(self.paths):
            names = sorted(self.paths[path])
            inner = names[0] if len(names) == 1 else "{" + ", ".join(names) + "}"
            lines.append(f"use {path}::{inner};")
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Modules. Each mapper takes the module, a list it appends problems to and the rank of the
# module's input, and returns the typed-torch layer.


@dataclass
class Layer:
    """A generated field: its Rust type, the names it imports, and `setup`, the run-time settings
    where PyTorch's differ from typed-torch's defaults, as `(path, call)` pairs: the model's
    `init` makes the field with `Init::init()?`, then runs `field<path> = field<path><call>;`.
    `inplace` layers overwrite their input in PyTorch."""

    ty: str
    imports: set = field(default_factory=set)
    setup: list = field(default_factory=list)
    inplace: bool = False


def square(value, what, problems):
    """One number for a size PyTorch allows as a pair (`(3, 3)` -> 3); pairs that differ are
    problems, since typed-torch layers take one size for both axes."""
    if not isinstance(value, (tuple, list)):
        return value
    if len(set(value)) != 1:
        problems.append(f"{what} {tuple(value)} differs between the axes")
    return value[0]


def named_options(specs):
    """`(options, imports)` for `(Name, value, default)` specs: `Name<value>` where not default."""
    opts = [f"{name}<{value}>" for name, value, default in specs if value != default]
    return opts, {f"{OPT}::{o.split('<')[0]}" for o in opts}


def setters(defaults, actual):
    """`("", ".name(value)")` for each run-time setting that differs from typed-torch's default."""
    return [("", f".{k}({float_literal(v)})") for k, v in actual.items()
            if float(v) != float(defaults[k])]


def conv2d(m, problems, rank):
    """`nn.Conv2d` as `Conv2d<IN, OUT, K, (Stride, Padding, Dilation, Groups, NoBias)>`."""
    if m.padding_mode != "zeros":
        problems.append(f"padding_mode={m.padding_mode!r} (typed-torch pads with zeros)")
    k = square(m.kernel_size, "kernel_size", problems)
    dilation = square(m.dilation, "dilation", problems)
    if m.padding == "valid":
        padding = 0
    elif m.padding == "same":
        # PyTorch pads an odd total asymmetrically; typed-torch pads both sides alike.
        if dilation * (k - 1) % 2:
            problems.append("padding='same' with an even kernel (asymmetric padding)")
        padding = dilation * (k - 1) // 2
    else:
        padding = square(m.padding, "padding", problems)
    opts, imports = named_options([("Stride", square(m.stride, "stride", problems), 1),
                                   ("Padding", padding, 0), ("Dilation", dilation, 1),
                                   ("Groups", m.groups, 1)])
    if m.bias is None:
        opts.append("NoBias")
        imports.add(f"{OPT}::NoBias")
    ty = f"Conv2d<{m.in_channels}, {m.out_channels}, {k}, {options(opts)}, E, Dev>"
    return Layer(ty, imports | {f"{NN}::Conv2d"})


def batch_norm(m, problems, rank):
    """`nn.BatchNorm1d`/`2d`, with `eps` and `momentum` set at init."""
    kind = "BatchNorm2d" if isinstance(m, nn.BatchNorm2d) else "BatchNorm1d"
    if not m.track_running_stats:
        problems.append("track_running_stats=False (typed-torch keeps running statistics)")
    if m.momentum is None:
        problems.append("momentum=None (a cumulative average; typed-torch takes a number)")
    opts = [] if m.affine else ["NoAffine"]
    calls = setters({"eps": 1e-5, "momentum": 0.1},
                    {"eps": m.eps, "momentum": m.momentum or 0.1})
    return Layer(f"{kind}<{m.num_features}, {options(opts)}, E, Dev>",
                 {f"{NN}::{kind}"} | {f"{OPT}::{o}" for o in opts}, calls)


def linear(m, problems, rank):
    """`nn.Linear` as `Linear<IN, OUT>` (`NoBias` without a bias)."""
    opts = [] if m.bias is not None else ["NoBias"]
    return Layer(f"Linear<{m.in_features}, {m.out_features}, {options(opts)}, E, Dev>",
                 {f"{NN}::Linear"} | {f"{OPT}::{o}" for o in opts})


def layer_norm(m, problems, rank):
    """`nn.LayerNorm` over the last dim, `eps` set at init."""
    if len(m.normalized_shape) != 1:
        problems.append(f"normalized_shape={tuple(m.normalized_shape)} (typed-torch normalises "
                        "the last dim)")
    if m.elementwise_affine and m.bias is None:
        problems.append("bias=False with a weight (typed-torch has both or neither)")
    opts = [] if m.elementwise_affine else ["NoAffine"]
    return Layer(f"LayerNorm<{m.normalized_shape[0]}, {options(opts)}, E, Dev>",
                 {f"{NN}::LayerNorm"} | {f"{OPT}::{o}" for o in opts},
                 setters({"eps": 1e-5}, {"eps": m.eps}))


def embedding(m, problems, rank):
    """`nn.Embedding`, `padding_idx` set at init."""
    for attr, default in [("max_norm", None), ("scale_grad_by_freq", False), ("sparse", False)]:
        if getattr(m, attr) != default:
            problems.append(f"{attr}={getattr(m, attr)!r}")
    # PyTorch stores a negative padding_idx already wrapped.
    setup = [("", f".padding_idx({m.padding_idx})?")] if m.padding_idx is not None else []
    return Layer(f"Embedding<{m.num_embeddings}, {m.embedding_dim}, E, Dev>",
                 {f"{NN}::Embedding"}, setup)


def pool_kernel(m, problems):
    """Kernel and stride of a pooling module (the stride defaults to the kernel, as in both)."""
    k = square(m.kernel_size, "kernel_size", problems)
    stride = square(m.stride if m.stride is not None else k, "stride", problems)
    if m.ceil_mode:
        problems.append("ceil_mode=True (typed-torch pools in floor mode)")
    return k, stride


def max_pool(m, problems, rank):
    """`nn.MaxPool2d` as `MaxPool2d<K, (Stride, Padding, Dilation)>`."""
    if m.return_indices:
        problems.append("return_indices=True")
    k, stride = pool_kernel(m, problems)
    opts, imports = named_options([("Stride", stride, k),
                                   ("Padding", square(m.padding, "padding", problems), 0),
                                   ("Dilation", square(m.dilation, "dilation", problems), 1)])
    return Layer(f"MaxPool2d<{k}, {options(opts)}>" if opts else f"MaxPool2d<{k}>",
                 imports | {f"{NN}::MaxPool2d"})


def avg_pool(m, problems, rank):
    """`nn.AvgPool2d` (padding counted) as `AvgPool2d<K, (Stride, Padding)>`."""
    if not m.count_include_pad:
        problems.append("count_include_pad=False (typed-torch counts the padding)")
    if m.divisor_override is not None:
        problems.append(f"divisor_override={m.divisor_override}")
    k, stride = pool_kernel(m, problems)
    opts, imports = named_options([("Stride", stride, k),
                                   ("Padding", square(m.padding, "padding", problems), 0)])
    return Layer(f"AvgPool2d<{k}, {options(opts)}>" if opts else f"AvgPool2d<{k}>",
                 imports | {f"{NN}::AvgPool2d"})


def adaptive_output(size, problems):
    """`(OH, OW)` of an adaptive pooling's `output_size`."""
    oh, ow = (size, size) if isinstance(size, int) else tuple(size)
    if oh is None or ow is None:
        problems.append(f"output_size={size!r} (typed-torch needs both sizes)")
    return oh, ow


def adaptive_avg_pool(m, problems, rank):
    """`nn.AdaptiveAvgPool2d((OH, OW))`."""
    oh, ow = adaptive_output(m.output_size, problems)
    return Layer(f"AdaptiveAvgPool2d<{oh}, {ow}>", {f"{NN}::AdaptiveAvgPool2d"})


def flatten_module(m, problems, rank):
    """`nn.Flatten()`: typed-torch's `Flatten` merges every axis after the first."""
    if rank < 2 or (m.start_dim % rank, m.end_dim % rank) != (1, rank - 1):
        problems.append(f"start_dim={m.start_dim}, end_dim={m.end_dim} (typed-torch's Flatten "
                        "merges every axis after the first; use torch.flatten in forward)")
    return Layer("Flatten", {f"{NN}::Flatten"})


def dropout(m, problems, rank):
    """`nn.Dropout(p)`, `p` set at init."""
    if m.inplace:
        problems.append("inplace=True")
    return Layer("Dropout", {f"{NN}::Dropout"}, setters({"p": 0.5}, {"p": m.p}))


def plain(name):
    """A parameter-free layer with nothing to set."""

    def make(m, problems, rank):
        return Layer(name, {f"{NN}::{name}"}, inplace=getattr(m, "inplace", False))

    return make


def gelu_module(m, problems, rank):
    """`nn.GELU()` in the exact (erf) form."""
    if m.approximate != "none":
        problems.append(f"approximate={m.approximate!r} (typed-torch's GELU layer is the erf "
                        "form)")
    return Layer("GELU", {f"{NN}::GELU"})


def leaky_relu(m, problems, rank):
    """`nn.LeakyReLU(negative_slope)`, the slope set at init."""
    calls = setters({"negative_slope": 0.01}, {"negative_slope": m.negative_slope})
    return Layer("LeakyReLU", {f"{NN}::LeakyReLU"}, calls, m.inplace)


def elu(m, problems, rank):
    """`nn.ELU(alpha)`, `alpha` set at init."""
    return Layer("ELU", {f"{NN}::ELU"}, setters({"alpha": 1.0}, {"alpha": m.alpha}), m.inplace)


def softmax(kind):
    """`nn.Softmax(dim)` or `nn.LogSoftmax(dim)`, the axis in the type."""

    def make(m, problems, rank):
        if m.dim is None or rank == 0:
            problems.append("dim=None (give the axis)")
            return Layer(kind)
        return Layer(f"{kind}<{m.dim % rank}>", {f"{NN}::{kind}"})

    return make


def encoder_layer(m, problems, rank):
    """`nn.TransformerEncoderLayer` as `TransformerEncoderLayer<M, Heads<H>, FF, Opts>`
    (`BatchFirst`, `NormFirst`, `Activation<GELU>`), dropout and norm `eps` set at init."""
    attn = m.self_attn
    if not attn._qkv_same_embed_dim:
        problems.append("attention with kdim/vdim")
    if m.linear1.bias is None or attn.in_proj_bias is None:
        problems.append("bias=False (typed-torch's Transformer layers have biases)")
    if m.norm1.eps != m.norm2.eps:
        problems.append("norms with different eps")
    rates = {m.dropout.p, m.dropout1.p, m.dropout2.p, attn.dropout}
    if len(rates) != 1:
        problems.append(f"different dropout rates {sorted(rates)}")
    opts = ["BatchFirst"] if attn.batch_first else []
    opts += ["NormFirst"] if m.norm_first else []
    imports = {f"{NN}::TransformerEncoderLayer", f"{OPT}::Heads"} | {f"{OPT}::{o}" for o in opts}
    act = m.activation
    if act is F.gelu or (isinstance(act, nn.GELU) and act.approximate == "none"):
        opts.append("Activation<GELU>")
        imports |= {f"{OPT}::Activation", f"{NN}::GELU"}
    elif not (act is F.relu or isinstance(act, nn.ReLU)):
        problems.append(f"activation {act!r} (typed-torch takes ReLU or exact GELU)")
    calls = setters({"dropout": 0.1, "layer_norm_eps": 1e-5},
                    {"dropout": m.dropout.p, "layer_norm_eps": m.norm1.eps})
    ty = (f"TransformerEncoderLayer<{attn.embed_dim}, Heads<{attn.num_heads}>, "
          f"{m.linear1.out_features}, {options(opts)}, E, Dev>")
    return Layer(ty, imports, calls)


def encoder(m, problems, rank):
    """`nn.TransformerEncoder` as `TransformerEncoder<Layer, N, Norm>` (`Identity` without a
    final norm)."""
    layers = [encoder_layer(layer, problems, rank) for layer in m.layers]
    if len({(la.ty, tuple(la.setup)) for la in layers}) != 1:
        problems.append("layers with different settings (typed-torch stacks copies of one layer)")
    if m.norm is None:
        norm = Layer("Identity", {f"{NN}::Identity"})
    elif isinstance(m.norm, nn.LayerNorm):
        norm = layer_norm(m.norm, problems, rank)
    else:
        problems.append(f"final norm {type(m.norm).__name__} (typed-torch takes a LayerNorm)")
        norm = Layer("Identity")
    layer = layers[0]
    # Each layer set in place, so that its tensors stay its own (`clone` would share them).
    calls = "".join(call for _, call in layer.setup)
    setup = [(".layers", f".map(|layer| layer{calls})")] if calls else []
    setup += [(".norm" + path, call) for path, call in norm.setup]
    return Layer(f"TransformerEncoder<{layer.ty}, {len(layers)}, {norm.ty}>",
                 {f"{NN}::TransformerEncoder"} | layer.imports | norm.imports, setup)


# torch.nn classes and their typed-torch layers.
MODULES = {
    nn.Conv2d: conv2d,
    nn.BatchNorm1d: batch_norm,
    nn.BatchNorm2d: batch_norm,
    nn.Linear: linear,
    nn.LayerNorm: layer_norm,
    nn.Embedding: embedding,
    nn.MaxPool2d: max_pool,
    nn.AvgPool2d: avg_pool,
    nn.AdaptiveAvgPool2d: adaptive_avg_pool,
    nn.Flatten: flatten_module,
    nn.Dropout: dropout,
    nn.ReLU: plain("ReLU"),
    nn.ReLU6: plain("ReLU6"),
    nn.GELU: gelu_module,
    nn.Sigmoid: plain("Sigmoid"),
    nn.Tanh: plain("Tanh"),
    nn.SiLU: plain("SiLU"),
    nn.Identity: plain("Identity"),
    nn.LeakyReLU: leaky_relu,
    nn.ELU: elu,
    nn.Softmax: softmax("Softmax"),
    nn.LogSoftmax: softmax("LogSoftmax"),
    nn.TransformerEncoderLayer: encoder_layer,
    nn.TransformerEncoder: encoder,
}


def mapped_class(m):
    """The class in `MODULES` that `m` is, or subclasses without a forward of its own."""
    for cls in type(m).__mro__:
        if cls in MODULES:
            return cls if type(m).forward is cls.forward else None
    return None


def map_module(m, rank):
    """The typed-torch layer for module `m` whose input has `rank` dims, and the problems."""
    cls = mapped_class(m)
    if cls is None:
        return None, [f"no typed-torch layer for {type(m).__module__}.{type(m).__qualname__}"]
    problems = []
    return MODULES[cls](m, problems, rank), problems


class LeafTracer(fx.Tracer):
    """An fx tracer that records source lines and keeps every module the converter maps (an
    `nn.TransformerEncoderLayer` too) as one call instead of tracing into it."""

    record_stack_traces = True

    def is_leaf_module(self, m, module_qualified_name):
        return mapped_class(m) is not None or super().is_leaf_module(m, module_qualified_name)


# ---------------------------------------------------------------------------------------------
# Functions and methods. Each handler takes the node, a list it appends problems to and
# `rank(node)`, and returns a Step, or None after a problem.


@dataclass
class Step:
    """One node as Rust: `render(args)` builds the expression from the tensor arguments (each a
    `Var`); an alias step (`x.contiguous()`) reuses its input's binding. `inplace` steps
    overwrite their first input in PyTorch; `imports` are traits the expression needs."""

    node: fx.Node
    inputs: list
    render: object = None
    inplace: bool = False
    alias: bool = False
    imports: set = field(default_factory=set)


@dataclass
class Var:
    """A tensor argument: its binding `var`, `val` to pass it by value (moved at its last use,
    else a clone, which shares storage), `ref` to borrow it."""

    var: str
    val: str

    @property
    def ref(self):
        return f"&{self.var}"


def is_tensor(x):
    """Whether an fx argument is a value of the graph (else a Python constant)."""
    return isinstance(x, fx.Node)


def bind(node, names, defaults, problems):
    """The node's arguments by name (positional and keyword), the defaults filled in; arguments
    not in `names` are problems."""
    values = dict(defaults)
    values.update(zip(names, node.args))
    for name, value in node.kwargs.items():
        if name not in names:
            problems.append(f"argument {name}={value!r} is not supported")
        values[name] = value
    if len(node.args) > len(names):
        problems.append(f"{len(node.args)} positional arguments, {len(names)} expected")
    return values


def unary(method, always_inplace=False):
    """`f(input, inplace=False)` (or the method `input.f_()`, always in place) as
    `input.method()`."""

    def make(node, problems, rank):
        a = bind(node, ["input", "inplace"], {"inplace": always_inplace}, problems)
        return Step(node, [a["input"]], lambda x: f"{x[0].var}.{method}()",
                    inplace=bool(a["inplace"]))

    return make


def gelu_function(node, problems, rank):
    """`F.gelu(x, approximate)` as `x.gelu()` or `x.gelu_tanh()`."""
    a = bind(node, ["input", "approximate"], {"approximate": "none"}, problems)
    method = {"none": "gelu", "tanh": "gelu_tanh"}.get(a["approximate"])
    if method is None:
        problems.append(f"approximate={a['approximate']!r}")
        return None
    return Step(node, [a["input"]], lambda x: f"{x[0].var}.{method}()")


def binary(op, inplace=False):
    """`a op b` for two tensors (broadcast in the type) or a tensor and a number
    (`add_scalar`, `mul_scalar`)."""
    scalar_method = {"+": "add_scalar", "*": "mul_scalar", "-": "add_scalar"}

    def make(node, problems, rank):
        a = bind(node, ["input", "other"], {}, problems)
        lhs, rhs = a.get("input"), a.get("other")
        if is_tensor(lhs) and is_tensor(rhs):
            dtypes = {meta_dtype(lhs), meta_dtype(rhs)}
            if len(dtypes) != 1:
                problems.append(f"operands of different dtypes {sorted(map(str, dtypes))}")
            return Step(node, [lhs, rhs], lambda x: f"{x[0].ref} {op} {x[1].ref}",
                        inplace=inplace)
        tensor, number = (lhs, rhs) if is_tensor(lhs) else (rhs, lhs)
        if (not is_tensor(tensor) or not isinstance(number, (int, float))
                or (op == "-" and tensor is rhs)):
            problems.append(f"{op} on {type(lhs).__name__} and {type(rhs).__name__}")
            return None
        value = float_literal(-number if op == "-" else number)
        return Step(node, [tensor], lambda x: f"{x[0].var}.{scalar_method[op]}({value})",
                    inplace=inplace)

    return make


def flatten_function(node, problems, rank):
    """`torch.flatten(x, start, end)` as `x.flatten::<START, END>()`."""
    a = bind(node, ["input", "start_dim", "end_dim"], {"start_dim": 0, "end_dim": -1}, problems)
    n = rank(a["input"])
    if n == 0:
        problems.append("flatten of a scalar")
        return None
    start, end = a["start_dim"] % n, a["end_dim"] % n
    if start == end:
        return Step(node, [a["input"]], alias=True)
    return Step(node, [a["input"]], lambda x: f"{x[0].var}.flatten::<{start}, {end}>()")


def mean_function(node, problems, rank):
    """`x.mean(dim, keepdim)` as `x.mean::<AX>()` or `x.mean_keepdim::<AX>()`; `x.mean()` as
    `x.mean_all()`."""
    a = bind(node, ["input", "dim", "keepdim"], {"dim": None, "keepdim": False}, problems)
    dim = a["dim"]
    if dim is None:
        return Step(node, [a["input"]], lambda x: f"{x[0].var}.mean_all()")
    if isinstance(dim, (tuple, list)):
        if len(dim) != 1:
            problems.append(f"mean over several dims {tuple(dim)} (typed-torch reduces one axis)")
            return None
        dim = dim[0]
    if rank(a["input"]) == 0:
        problems.append("mean over an axis of a scalar")
        return None
    ax = dim % rank(a["input"])
    method = "mean_keepdim" if a["keepdim"] else "mean"
    return Step(node, [a["input"]], lambda x: f"{x[0].var}.{method}::<{ax}>()")


def adaptive_avg_pool_function(node, problems, rank):
    """`F.adaptive_avg_pool2d(x, size)` as `x.adaptive_avg_pool2d::<OH, OW>()`."""
    a = bind(node, ["input", "output_size"], {}, problems)
    oh, ow = adaptive_output(a["output_size"], problems)
    return Step(node, [a["input"]], lambda x: f"{x[0].var}.adaptive_avg_pool2d::<{oh}, {ow}>()")


def cat_function(node, problems, rank):
    """`torch.cat([a, b, c], dim)` as `a.cat::<AX>(&b).cat::<AX>(&c)` (sizes add in the type)."""
    a = bind(node, ["tensors", "dim"], {"dim": 0}, problems)
    tensors = a["tensors"]
    if (not isinstance(tensors, (list, tuple)) or not tensors
            or not all(map(is_tensor, tensors)) or rank(tensors[0]) == 0):
        problems.append("cat of something else than a list of tensors")
        return None
    if len(tensors) == 1:
        return Step(node, list(tensors), alias=True)
    ax = a["dim"] % rank(tensors[0])
    return Step(node, list(tensors),
                lambda x: x[0].var + "".join(f".cat::<{ax}>({v.ref})" for v in x[1:]),
                imports={"typed_torch::Cat"})


def identity_method(node, problems, rank):
    """`x.contiguous()`: the same values, so the same binding."""
    a = bind(node, ["input", "memory_format"], {}, problems)
    return Step(node, [a["input"]], alias=True)


FUNCTIONS = {
    operator.add: binary("+"),
    torch.add: binary("+"),
    operator.iadd: binary("+", inplace=True),
    operator.sub: binary("-"),
    torch.sub: binary("-"),
    operator.isub: binary("-", inplace=True),
    operator.mul: binary("*"),
    torch.mul: binary("*"),
    operator.imul: binary("*", inplace=True),
    torch.relu: unary("relu"),
    F.relu: unary("relu"),
    F.relu6: unary("relu6"),
    F.gelu: gelu_function,
    torch.sigmoid: unary("sigmoid"),
    F.sigmoid: unary("sigmoid"),
    torch.tanh: unary("tanh"),
    F.tanh: unary("tanh"),
    F.silu: unary("silu"),
    torch.flatten: flatten_function,
    torch.mean: mean_function,
    F.adaptive_avg_pool2d: adaptive_avg_pool_function,
    torch.cat: cat_function,
}

METHODS = {
    "add": binary("+"),
    "add_": binary("+", inplace=True),
    "sub": binary("-"),
    "mul": binary("*"),
    "relu": unary("relu"),
    "relu_": unary("relu", always_inplace=True),
    "sigmoid": unary("sigmoid"),
    "tanh": unary("tanh"),
    "flatten": flatten_function,
    "mean": mean_function,
    "contiguous": identity_method,
}


def meta_dtype(node):
    """The dtype shape propagation found for a node, or None."""
    return getattr(node.meta.get("tensor_meta"), "dtype", None)


# ---------------------------------------------------------------------------------------------
# Where a node comes from


def source_line(node):
    """`file:line in function: code` of the innermost frame outside torch that made the node
    (torch's own frames, nn.Module's call machinery and fx's, are skipped)."""
    torch_dir = os.path.dirname(torch.__file__)
    lines = (node.stack_trace or "").splitlines() + [""]
    frames = []  # (path, line, function, code); code is "" where Python had no source
    for i, text in enumerate(lines[:-1]):
        frame = re.match(r'\s*File "([^"]+)", line (\d+), in (\S+)', text)
        if frame:
            code = "" if re.match(r'\s*File "', lines[i + 1]) else lines[i + 1].strip()
            frames.append((*frame.groups(), code))
    user = [f for f in frames if not os.path.abspath(f[0]).startswith(torch_dir + os.sep)]
    if not user:
        return None
    path, line, func, code = user[-1]
    relative = os.path.relpath(path)
    location = f"{path if relative.startswith('..') else relative}:{line} in {func}"
    return f"{location}: {code}" if code else location


def describe_target(node, root):
    """What a node calls, as a person would name it."""
    if node.op == "call_module":
        m = root.get_submodule(node.target)
        return f"module `{node.target}` ({type(m).__module__}.{type(m).__qualname__})"
    if node.op == "call_function":
        module = getattr(node.target, "__module__", None)
        name = getattr(node.target, "__name__", None) or repr(node.target)
        return f"function {module + '.' if module else ''}{name}"
    if node.op == "call_method":
        return f"method Tensor.{node.target}"
    if node.op == "get_attr":
        return f"attribute `{node.target}` read directly"
    return node.op


def where(node, root):
    """The node's name, what it calls and its source line (else its module), for a report."""
    text = f"{node.name}: {describe_target(node, root)}"
    line = source_line(node)
    owners = list((node.meta.get("nn_module_stack") or {}).values())
    if line:
        text += f"\n      at {line}"
    elif owners:
        qual, cls = owners[-1]
        text += f"\n      in module `{qual}` ({getattr(cls, '__name__', cls)})"
    return text


# ---------------------------------------------------------------------------------------------
# Conversion


def shapes_of(gm, example):
    """Every node's output `(shape, dtype)` (None if not a tensor) after running `example`."""
    ShapeProp(gm).propagate(example.clone())
    out = {}
    for node in gm.graph.nodes:
        meta = node.meta.get("tensor_meta")
        out[node.name] = (tuple(meta.shape), meta.dtype) if hasattr(meta, "shape") else None
    return out


def convert(module, example_input, name):
    """Converts `module`, traced and run on `example_input` (whose dim 0 is the batch), into the
    Rust source of a typed-torch model named `name`, and returns it with the `state_dict` to
    save beside it.

    The module runs in evaluation mode (its mode is restored afterwards). Raises
    `ConversionError` listing every node, module or setting without a typed-torch equivalent.
    """
    if not re.fullmatch(r"[A-Za-z_]\w*", name) or name in RUST_KEYWORDS:
        raise ValueError(f"{name!r} is not a Rust type name")
    was_training = module.training
    module.eval()
    try:
        with torch.no_grad():
            return _convert(module, example_input, name)
    finally:
        module.train(was_training)


def _convert(module, example, name):
    """`convert` without the mode and gradient bookkeeping."""
    try:
        graph = LeafTracer().trace(module)
    except Exception as e:  # fx's report of data-dependent control flow and the like
        raise ConversionError(name, [f"torch.fx cannot trace {type(module).__name__}: {e}"]) from e
    gm = fx.GraphModule(module, graph, name)
    try:
        # Twice, the second time with one more sample: the dims that grow are the batch.
        grown = shapes_of(gm, torch.cat([example, example[:1]]))
        shapes = shapes_of(gm, example)
    except Exception as e:
        raise ConversionError(name, [f"the traced module fails on the example input: {e}"]) from e

    def rank(node):
        info = shapes.get(node.name) if is_tensor(node) else None
        return len(info[0]) if info else 0

    problems = []
    nodes = list(gm.graph.nodes)
    placeholders = [n for n in nodes if n.op == "placeholder"]
    if len(placeholders) != 1:
        problems.append(f"forward takes {len(placeholders)} inputs (one tensor expected)")
    fields = {}  # qualified module name -> Layer
    idents = {}  # qualified module name -> Rust field name, once every field is known
    failed = set()  # modules and tensors reported already: their state_dict entries are not
    steps = []
    output = None
    for node in nodes:
        if node.op == "placeholder":
            continue
        if node.op == "output":
            output = node.args[0]
            if not is_tensor(output):
                problems.append(f"forward returns {type(output).__name__} (one tensor expected)")
            continue
        found, step = [], None
        if node.op == "call_module":
            step = module_step(node, module, rank, fields, idents, found)
        elif node.op == "call_function" and node.target in FUNCTIONS:
            step = FUNCTIONS[node.target](node, found, rank)
        elif node.op == "call_method" and node.target in METHODS:
            step = METHODS[node.target](node, found, rank)
        else:
            found.append("no typed-torch equivalent")
        if found:
            if node.op in ("call_module", "get_attr"):
                failed.add(node.target)
            problems.append(f"{where(node, module)}\n      " + "; ".join(found))
        elif step is not None:
            steps.append(step)

    # Every tensor of the state_dict must belong to a generated field, or the file would not
    # load strictly.
    owned = {f"{qual}.{key}" for qual in set(fields) | failed if is_module(module, qual)
             for key in module.get_submodule(qual).state_dict()} | failed
    state = {k: v.detach().clone().contiguous() for k, v in module.state_dict().items()}
    for key in sorted(set(state) - owned):
        owner = key.rsplit(".", 1)[0]
        problems.append(f"state_dict entry `{key}` belongs to no converted layer (is `{owner}` "
                        "called in forward, or read directly?)")

    # The type of every tensor the code binds (also checks dtypes and batch dependence).
    named = set(placeholders) | {step.node for step in steps}
    types = {n.name: tensor_type(n, shapes, grown, example.shape[0], module, problems)
             for n in nodes if n in named}
    if problems:
        raise ConversionError(name, problems)

    taken = set()
    idents.update({qual: unique(rust_ident(qual), taken) for qual in fields})
    body, problems = render_forward(placeholders[0], steps, output, types, module)
    if problems:
        raise ConversionError(name, problems)
    model = Model(name, module, example.shape, placeholders[0], output, types, fields, idents,
                  set().union(*(step.imports for step in steps)))
    source, imports = render_model(model, body, hlist_chain(module, fields, steps, output))
    if name in imports | {"B", "E", "Dev"}:
        raise ConversionError(name, [f"`{name}` is also a name the generated code uses; "
                                     "pick another"])
    return format_rust(source), state


def is_module(root, qual):
    """Whether `qual` names a submodule of `root` (else a parameter or buffer)."""
    try:
        root.get_submodule(qual)
        return True
    except AttributeError:
        return False


def module_step(node, root, rank, fields, idents, problems):
    """The step of a module call, its layer recorded in `fields` (a module called twice is one
    field) and its Rust name read from `idents` when rendered; or None after a problem."""
    extra = [v for v in list(node.args[1:]) + list(node.kwargs.values()) if v is not None]
    if not node.args or not is_tensor(node.args[0]) or extra:
        problems.append("called with other arguments than one tensor")
        return None
    layer, found = map_module(root.get_submodule(node.target), rank(node.args[0]))
    problems += found
    if found:
        return None
    fields.setdefault(node.target, layer)
    target = node.target
    return Step(node, [node.args[0]], lambda x: f"self.{idents[target]}.forward({x[0].val})",
                inplace=layer.inplace)


def tensor_type(node, shapes, grown, batch, root, problems):
    """`Tensor<(B, D<3>, ...), E, Dev>` of a node: `B` where the size followed the batch, `E` for
    floats, `i64` for int64; other cases are problems."""
    info = shapes[node.name]
    if info is None:
        problems.append(f"{where(node, root)}\n      gives no tensor (the generated code passes "
                        "tensors only)")
        return None
    dims = []
    for size, other in zip(info[0], grown[node.name][0]):
        if (size, other) == (batch, batch + 1):
            dims.append("B")
        else:
            if size != other:
                problems.append(f"{where(node, root)}\n      has a size ({size}) that depends on "
                                "the batch but is not the batch")
            dims.append(f"D<{size}>")
    shape = "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"
    dtype = info[1]
    if dtype.is_floating_point:
        elem = "E"
    elif dtype == torch.int64:
        elem = "i64"
    else:
        problems.append(f"{where(node, root)}\n      has dtype {dtype} (the generated code takes "
                        "floats and int64)")
        elem = "E"
    return f"Tensor<{shape}, {elem}, Dev>"


def render_forward(placeholder, steps, output, types, root):
    """The body of `forward`: one `let` per step with its type, values moved at their last use
    and cloned (sharing storage) before. Returns the lines and the problems of in-place steps
    whose input is used again (PyTorch would see the overwritten values)."""
    taken = set()
    var = {placeholder: unique(rust_ident(placeholder.name), taken)}
    for step in steps:
        var[step.node] = (var[step.inputs[0]] if step.alias
                          else unique(rust_ident(step.node.name), taken))
    # The last step that reads each binding; the output reads it after every step.
    last = {}
    for i, step in enumerate(steps):
        for n in step.inputs:
            last[var[n]] = i
    last[var[output]] = len(steps)

    lines, problems = [], []
    emitted = [s for s in steps if not s.alias]
    tail = emitted[-1] if emitted and var[emitted[-1].node] == var[output] else None
    for i, step in enumerate(steps):
        if step.alias:
            continue
        names = [var[n] for n in step.inputs]
        if step.inplace and last[names[0]] > i:
            problems.append(f"{where(step.node, root)}\n      works in place on a value used "
                            "again later, which the generated code cannot mirror")
        args = [Var(v, v if last[v] == i and names.count(v) == 1 else f"{v}.clone()")
                for v in names]
        expr = step.render(args)
        if step is tail:
            lines.append(expr)
        else:
            # A value forward computes but never reads (fx keeps it) is bound as unused.
            binding = var[step.node] if var[step.node] in last else "_" + var[step.node]
            lines.append(f"let {binding}: {types[step.node.name]} = {expr};")
    if tail is None:
        lines.append(var[output])
    return lines, problems


@dataclass
class Model:
    """What the generated file describes: the Rust `name`, the PyTorch `module` and the shape it
    was traced on, its input and output nodes and their `types`, the layers by qualified name
    (`fields`) and their Rust `idents`, and the traits `forward` uses (`step_imports`)."""

    name: str
    module: nn.Module
    shape: tuple
    placeholder: fx.Node
    output: fx.Node
    types: dict
    fields: dict
    idents: dict
    step_imports: set


def uses(param, texts):
    """Whether the type parameter `param` appears in any of the Rust `texts`."""
    return any(re.search(rf"\b{param}\b", t) for t in texts)


def render_model(model, body, chain):
    """The Rust file (header, imports, the model type: an HList alias for a plain stack, else a
    struct with `Init` when settings differ from typed-torch's defaults and `Module`), and the
    names it imports."""
    imports = Imports()
    for layer in model.fields.values():
        imports.add_full(layer.imports)
    layer_types = [layer.ty for layer in model.fields.values()]
    in_type, out_type = model.types[model.placeholder.name], model.types[model.output.name]
    # The model's own type parameters: those its layers use (an unused one does not compile).
    params = [(p, bound, default) for p, bound, default
              in (("E", "Float", "f32"), ("Dev", "Device", "Cpu")) if uses(p, layer_types)]
    args = "<" + ", ".join(p for p, _, _ in params) + ">" if params else ""
    if uses("Dev", layer_types):
        imports.add("typed_torch", "Cpu")

    origin = f"{type(model.module).__module__}.{type(model.module).__qualname__}"
    shape = ", ".join(str(s) for s in model.shape)
    head = [
        f"//! `{model.name}`: `{origin}`, converted by typed-torch's `scripts/torch2typed.py`",
        f"//! (traced on an input of shape ({shape}), the batch made generic). Every size is",
        "//! PyTorch's, checked by the compiler; the names are the module's `state_dict` names,",
        "//! so its weights load strictly.",
    ]
    doc = f"/// Takes `{in_type}` and gives `{out_type}`."
    if chain:
        imports.add("typed_torch", "HList")
        defaults = "<" + ", ".join(f"{p} = {d}" for p, _, d in params) + ">" if params else ""
        decl = [doc, f"pub type {model.name}{defaults} = HList!["]
        decl += [f"    {ty}," for ty in layer_types] + ["];"]
    else:
        decl = struct_decl(model, params, doc, imports) + init_impl(model, params, args, imports)
        decl += module_impl(model, in_type, out_type, args, body, imports)
    source = "\n".join(head + ["", imports.render(), ""] + decl) + "\n"
    return source, imports.names()


def struct_decl(model, params, doc, imports):
    """The model struct: one field per layer, named after PyTorch's module (renamed to it when
    the Rust name differs), with PyTorch's description."""
    for _, bound, _ in params:
        imports.add("typed_torch", bound)
    generics = "<" + ", ".join(f"{p}: {b} = {d}" for p, b, d in params) + ">" if params else ""
    lines = [doc, "#[derive(Debug, Clone, typed_torch::nn::Module)]"]
    if any(layer.setup for layer in model.fields.values()):
        lines.append("#[module(manual_init)]")
    lines.append(f"pub struct {model.name}{generics} {{")
    for qual, layer in model.fields.items():
        m = model.module.get_submodule(qual)
        extra = m.extra_repr()
        kind = type(m).__name__
        summary = f"{kind}({extra})" if extra and "\n" not in extra else kind
        lines.append(f"    /// `{qual}`: `{summary}`.")
        ident = model.idents[qual]
        if ident != qual:
            lines.append(f'    #[module(rename = "{qual}")]')
        if layer.ty.count("<") > 4:
            # Every size spelled out is the point of the type (typed-torch allows it too).
            lines.append("    #[allow(clippy::type_complexity)]")
        lines.append(f"    pub {ident}: {layer.ty},")
    return lines + ["}"]


def init_impl(model, params, args, imports):
    """`Init` by hand when some layer's settings differ from typed-torch's defaults: every field
    made by its `Init`, then the settings applied (the derive makes it otherwise)."""
    calls = {}  # one statement per part: `model.bn = model.bn.eps(0.001).momentum(0.01);`
    for qual, layer in model.fields.items():
        for path, call in layer.setup:
            part = f"model.{model.idents[qual]}{path}"
            calls[part] = calls.get(part, "") + call
    if not calls:
        return []
    imports.add(NN, "Init")
    imports.add("typed_torch", "Result")
    bounds = "<" + ", ".join(f"{p}: {b}" for p, b, _ in params) + ">" if params else ""
    return [
        "",
        "// Every layer as typed-torch makes it, then PyTorch's settings where they differ.",
        f"impl{bounds} Init for {model.name}{args} {{",
        "    fn init() -> Result<Self> {",
        f"        let mut model = {model.name} {{",
        *[f"            {ident}: Init::init()?," for ident in model.idents.values()],
        "        };",
        *[f"        {part} = {part}{call};" for part, call in calls.items()],
        "        Ok(model)",
        "    }",
        "}",
    ]


def module_impl(model, in_type, out_type, args, body, imports):
    """`impl Module<Input>` for every batch `B` (and `E`, `Dev` where the types use them)."""
    signature = [in_type, out_type] + [layer.ty for layer in model.fields.values()]
    bounds = [f"{p}: {b}" for p, b in (("E", "Float"), ("Dev", "Device")) if uses(p, signature)]
    imports.add("typed_torch", "Tensor", "Dim", "D", *[b.split(": ")[1] for b in bounds])
    imports.add(NN, "Module")
    imports.add_full(model.step_imports)
    x = rust_ident(model.placeholder.name)
    return [
        "",
        f"impl<{', '.join(['B: Dim'] + bounds)}> Module<{in_type}> for {model.name}{args} {{",
        f"    type Output = {out_type};",
        "",
        f"    fn forward(&self, {x}: {in_type}) -> Self::Output {{",
        *[f"        {line}" for line in body],
        "    }",
        "}",
    ]


def hlist_chain(module, fields, steps, output):
    """Whether the model is a plain stack (an `nn.Sequential` of mapped layers, each called once
    in order on the previous one's output, all with typed-torch's default settings): then it is
    an HList, which numbers its layers as `nn.Sequential` does."""
    if not isinstance(module, nn.Sequential):
        return False
    quals = list(fields)
    if quals != [str(i) for i in range(len(module))] or len(steps) != len(quals):
        return False
    previous = None
    for step, qual in zip(steps, quals):
        if step.node.op != "call_module" or step.node.target != qual:
            return False
        if previous is not None and step.inputs[0] is not previous:
            return False
        previous = step.node
    return output is previous and not any(layer.setup for layer in fields.values())


def format_rust(source):
    """The source through rustfmt when it is installed (it only changes the layout)."""
    rustfmt = shutil.which("rustfmt")
    if rustfmt is None:
        return source
    done = subprocess.run([rustfmt, "--edition", "2021", "--emit", "stdout", "--quiet"],
                          input=source, capture_output=True, text=True)
    return done.stdout if done.returncode == 0 and done.stdout else source


# ---------------------------------------------------------------------------------------------
# Files and command line


def file_stem(name):
    """The file name (without extension) for a model named `name`: `ResNet18` -> `resnet18`."""
    return name.lower()


def write(out_dir, name, source, state_dict):
    """Writes `<stem>.rs` and `<stem>.safetensors` into `out_dir`, each through a temporary file
    renamed into place, so that a failure leaves no half-written file. Returns both paths."""
    os.makedirs(out_dir, exist_ok=True)
    stem = os.path.join(out_dir, file_stem(name))
    tmp_rs, tmp_st = f"{stem}.rs.{os.getpid()}.tmp", f"{stem}.safetensors.{os.getpid()}.tmp"
    try:
        save_file(state_dict, tmp_st)
        with open(tmp_rs, "w") as f:
            f.write(source)
        os.replace(tmp_st, f"{stem}.safetensors")
        os.replace(tmp_rs, f"{stem}.rs")
    finally:
        for tmp in (tmp_rs, tmp_st):
            if os.path.exists(tmp):
                os.remove(tmp)
    return f"{stem}.rs", f"{stem}.safetensors"


def load_spec(spec, kwargs):
    """The module SPEC names: `package.module:Attr` or `path/file.py:Attr`, `Attr` a module, or
    a class or factory called with `kwargs`."""
    target, _, attr = spec.rpartition(":")
    if not target or not attr:
        raise SystemExit(f"torch2typed: {spec!r} is not MODULE:ATTR or FILE.py:ATTR")
    if target.endswith(".py") or os.sep in target:
        path = os.path.abspath(target)
        name = os.path.splitext(os.path.basename(path))[0]
        loader = importlib.util.spec_from_file_location(name, path)
        source = importlib.util.module_from_spec(loader)
        sys.modules[name] = source
        loader.loader.exec_module(source)
    else:
        source = importlib.import_module(target)
    made = getattr(source, attr)
    if not isinstance(made, nn.Module):
        made = made(**kwargs)
    if not isinstance(made, nn.Module):
        raise SystemExit(f"torch2typed: {spec} gave a {type(made).__name__}, not an nn.Module")
    return made


def main(argv=None):
    """The command line; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("spec", help="package.module:Attr or path/file.py:Attr")
    parser.add_argument("--input", required=True,
                        help="the example input's shape, batch first: 1,3,224,224")
    parser.add_argument("--name", required=True, help="the Rust type name, e.g. ResNet18")
    parser.add_argument("--out", required=True,
                        help="the directory for <name>.rs and <name>.safetensors")
    parser.add_argument("--kwargs", default="{}", help="JSON keyword arguments for Attr")
    parser.add_argument("--dtype", choices=["float32", "float64"],
                        help="convert the module to this dtype first (default: as it is)")
    parser.add_argument("--input-dtype", default="float32",
                        choices=["float32", "float64", "int64"],
                        help="the example input's dtype (int64 for token ids: zeros); a float "
                             "input follows --dtype")
    args = parser.parse_args(argv)

    module = load_spec(args.spec, json.loads(args.kwargs))
    if args.dtype:
        module = module.to(getattr(torch, args.dtype))
    sizes = [int(s) for s in args.input.split(",")]
    input_dtype = getattr(torch, args.input_dtype)
    if input_dtype.is_floating_point:
        example = torch.randn(sizes, dtype=getattr(torch, args.dtype or args.input_dtype))
    else:
        example = torch.zeros(sizes, dtype=input_dtype)
    try:
        source, state = convert(module, example, args.name)
    except ConversionError as e:
        print(f"torch2typed: {e}\nnothing was written", file=sys.stderr)
        return 1
    rs, st = write(args.out, args.name, source, state)
    print(f"wrote {rs} and {st} ({len(state)} tensors)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
