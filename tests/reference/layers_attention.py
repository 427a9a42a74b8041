"""PyTorch reference cases for MultiheadAttention (see tests/layers/attention.rs)."""
import torch
from torch import nn


def add(case, T):
    torch.manual_seed(21)
    mha = nn.MultiheadAttention(8, 2, batch_first=True).double()
    with torch.no_grad():
        mha.in_proj_bias.uniform_(-0.3, 0.3)
        mha.out_proj.bias.uniform_(-0.3, 0.3)
    for k, v in mha.state_dict().items():
        T[f"attn.param.{k}"] = v.detach().clone().contiguous()
    q = torch.randn(2, 3, 8, dtype=torch.float64)
    k = torch.randn(2, 4, 8, dtype=torch.float64)
    v = torch.randn(2, 4, 8, dtype=torch.float64)
    out, w = mha(q, k, v)
    case("attn.plain", [q, k, v], out, [w])
    mask = torch.tensor([[False, True, False, False], [False, False, True, True], [True, False, False, False]])
    pad = torch.tensor([[False, False, False, True], [False, True, False, False]])
    out, w = mha(q, k, v, attn_mask=mask, key_padding_mask=pad)
    case("attn.masked", [q, k, v, mask, pad], out, [w])
    out, w = mha(q, k, v, attn_mask=mask)
    case("attn.mask_only", [q, k, v, mask], out, [w])
    out, w = mha(q, k, v, key_padding_mask=pad)
    case("attn.pad_only", [q, k, v, pad], out, [w])
    out, _ = mha(q, q, q)
    case("attn.self", [q], out)

    # bias=False: no in_proj_bias, no out_proj.bias.
    mha = nn.MultiheadAttention(8, 2, batch_first=True, bias=False).double()
    for k_, v_ in mha.state_dict().items():
        T[f"attn_nobias.param.{k_}"] = v_.detach().clone().contiguous()
    out, w = mha(q, k, v, attn_mask=mask, key_padding_mask=pad)
    case("attn.nobias", [q, k, v, mask, pad], out, [w])
