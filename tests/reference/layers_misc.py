"""PyTorch reference cases for activation layers and Embedding (see tests/layers/misc.rs)."""
import torch
from torch import nn


def add(case, T):
    torch.manual_seed(9)
    x = torch.randn(3, 5, dtype=torch.float64)
    for name, m in (("leaky", nn.LeakyReLU(0.2)), ("elu", nn.ELU(0.5)), ("softmax", nn.Softmax(1)),
                    ("log_softmax", nn.LogSoftmax(0)), ("leaky_default", nn.LeakyReLU()), ("elu_default", nn.ELU())):
        case(f"misc.{name}", [x], m(x))
    emb = nn.Embedding(7, 4, padding_idx=2).double()
    ids = torch.tensor([[1, 2, 6], [2, 0, 1]])
    out = emb(ids)
    (out * out).sum().backward()
    for k, v in emb.state_dict().items():
        T[f"misc.embedding.param.{k}"] = v.detach().clone().contiguous()
    case("misc.embedding", [ids], out, [emb.weight.grad])
