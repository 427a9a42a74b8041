"""PyTorch reference cases for BatchNorm/LayerNorm/GroupNorm (see
tests/layers/normalization.rs)."""
import torch
from torch import nn


def add(case, T):
    torch.manual_seed(13)

    def state(name, m):
        for k, v in m.state_dict().items():
            T[f"{name}.{k}"] = v.detach().clone().contiguous()

    for name, m, shape in (("bn1d", nn.BatchNorm1d(3), (6, 3)), ("bn1d_l", nn.BatchNorm1d(3), (4, 3, 5)),
                           ("bn2d", nn.BatchNorm2d(2), (3, 2, 4, 4))):
        m = m.double()
        with torch.no_grad():
            m.weight.uniform_(0.5, 1.5)
            m.bias.uniform_(-0.5, 0.5)
        state(f"norm.{name}.param", m)
        xs = [torch.randn(*shape, dtype=torch.float64) * 2 + 1 for _ in range(3)]
        m.train()
        outs = [m(x) for x in xs]
        for i, (x, y) in enumerate(zip(xs, outs)):
            case(f"norm.{name}.train{i}", [x], y)
        state(f"norm.{name}.after", m)
        m.eval()
        case(f"norm.{name}.eval", [xs[0]], m(xs[0]))

    ln = nn.LayerNorm(5).double()
    with torch.no_grad():
        ln.weight.uniform_(0.5, 1.5)
        ln.bias.uniform_(-0.5, 0.5)
    state("norm.ln.param", ln)
    x = torch.randn(2, 3, 5, dtype=torch.float64)
    case("norm.ln", [x], ln(x))
    x = torch.randn(4, 5, dtype=torch.float64)
    case("norm.ln_rank2", [x], ln(x))
    x = torch.randn(2, 2, 3, 5, dtype=torch.float64)
    case("norm.ln_rank4", [x], ln(x))

    gn = nn.GroupNorm(2, 4).double()
    with torch.no_grad():
        gn.weight.uniform_(0.5, 1.5)
        gn.bias.uniform_(-0.5, 0.5)
    state("norm.gn.param", gn)
    x = torch.randn(3, 4, 3, 3, dtype=torch.float64)
    case("norm.gn", [x], gn(x))
    x = torch.randn(3, 4, 5, dtype=torch.float64)
    case("norm.gn_rank3", [x], gn(x))
