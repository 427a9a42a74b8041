"""torch.nn Transformer reference cases for tests/layers/transformer.rs (f64).

Each config stores its state_dict (`tf.<cfg>.param.<name>`, biases and norms randomised so
that none is trivially zero or one), its inputs (`in0` the source or target, `in1` the memory),
masks under `tf.<cfg>.mask.<which>`, the output in training mode with dropout 0 (`out`), the
gradients of `sum(out * w)` (`w` = `tf.<cfg>.w`) with respect to the inputs (`grad0`, `grad1`)
and every parameter (`tf.<cfg>.pgrad.<name>`), and the output in eval mode (`tf.<cfg>.eval`).
Sizes: model width 8, 2 heads, feed-forward 16, batch 2, target 5 steps, source 4 steps.
"""
import torch
from torch import nn

M, H, FF, B, T, S = 8, 2, 16, 2, 5, 4


def randomise(module, g):
    with torch.no_grad():
        for name, p in module.named_parameters():
            if p.dim() == 1:
                p.copy_(torch.rand(p.shape, dtype=p.dtype, generator=g) * 0.6 - 0.3
                        + (1.0 if name.endswith("norm1.weight") or name.endswith("norm2.weight")
                           or name.endswith("norm3.weight") or name.endswith("norm.weight") else 0.0))


def seq(batch_first, steps, g):
    shape = (B, steps, M) if batch_first else (steps, B, M)
    return torch.randn(*shape, dtype=torch.float64, generator=g)


def add(case, T_):
    g = torch.Generator().manual_seed(16)
    causal = nn.Transformer.generate_square_subsequent_mask(T, dtype=torch.float64)
    causal_bool = torch.isinf(causal)
    pad_t = torch.tensor([[False] * T, [False, False, False, True, True]])
    pad_s = torch.tensor([[False, False, True, False], [False] * S])
    additive_t = torch.randn(T, T, dtype=torch.float64, generator=g) * 0.5
    additive_ts = torch.randn(T, S, dtype=torch.float64, generator=g) * 0.5

    def record(name, module, inputs, run, masks):
        randomise(module, g)
        for k, v in module.state_dict().items():
            T_[f"tf.{name}.param.{k}"] = v.detach().clone().contiguous()
        for k, v in masks.items():
            T_[f"tf.{name}.mask.{k}"] = v.clone().contiguous()
        module.train()
        leaves = [x.clone().requires_grad_(True) for x in inputs]
        out = run(module, *leaves)
        w = torch.randn(out.shape, dtype=torch.float64, generator=g)
        T_[f"tf.{name}.w"] = w
        (out * w).sum().backward()
        case(f"tf.{name}", inputs, out, [x.grad for x in leaves])
        for k, p in module.named_parameters():
            T_[f"tf.{name}.pgrad.{k}"] = p.grad.detach().clone().contiguous()
        module.eval()
        with torch.no_grad():
            T_[f"tf.{name}.eval"] = run(module, *inputs).detach().clone().contiguous()

    torch.manual_seed(160)
    layer = nn.TransformerEncoderLayer(M, H, FF, dropout=0.0, batch_first=True).double()
    record("enc_post_relu_bf", layer, [seq(True, T, g)],
           lambda m, x: m(x, src_mask=causal_bool, src_key_padding_mask=pad_t),
           {"attn": causal_bool, "padding": pad_t})

    layer = nn.TransformerEncoderLayer(M, H, FF, dropout=0.0, batch_first=True).double()
    record("enc_plain_bf", layer, [seq(True, T, g)], lambda m, x: m(x), {})

    layer = nn.TransformerEncoderLayer(M, H, FF, dropout=0.0, activation="gelu", norm_first=True).double()
    record("enc_pre_gelu_sf", layer, [seq(False, T, g)],
           lambda m, x: m(x, src_mask=additive_t), {"attn": additive_t})

    layer = nn.TransformerDecoderLayer(M, H, FF, dropout=0.0, batch_first=True).double()
    record("dec_post_bf", layer, [seq(True, T, g), seq(True, S, g)],
           lambda m, x, mem: m(x, mem, tgt_mask=causal_bool, memory_key_padding_mask=pad_s),
           {"tgt": causal_bool, "memory_padding": pad_s})

    layer = nn.TransformerDecoderLayer(M, H, FF, dropout=0.0, activation="gelu", norm_first=True).double()
    record("dec_pre_gelu_sf", layer, [seq(False, T, g), seq(False, S, g)],
           lambda m, x, mem: m(x, mem, tgt_mask=causal, memory_mask=additive_ts,
                               tgt_key_padding_mask=pad_t),
           {"tgt": causal, "memory": additive_ts, "tgt_padding": pad_t})

    layer = nn.TransformerEncoderLayer(M, H, FF, dropout=0.0, batch_first=True).double()
    stack = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(M).double(), enable_nested_tensor=False)
    record("encoder_stack", stack, [seq(True, T, g)],
           lambda m, x: m(x, mask=causal_bool), {"attn": causal_bool})

    model = nn.Transformer(M, H, 1, 1, FF, dropout=0.0, norm_first=True).double()
    record("transformer_plain_sf", model, [seq(False, S, g), seq(False, T, g)],
           lambda m, src, tgt: m(src, tgt), {})

    model = nn.Transformer(M, H, 2, 2, FF, dropout=0.0, batch_first=True).double()
    record("transformer", model, [seq(True, S, g), seq(True, T, g)],
           lambda m, src, tgt: m(src, tgt, tgt_mask=causal, src_key_padding_mask=pad_s,
                                 memory_key_padding_mask=pad_s),
           {"tgt": causal, "src_padding": pad_s})

    mha = nn.MultiheadAttention(M, H, kdim=5, vdim=3, batch_first=True).double()
    q = torch.randn(B, T, M, dtype=torch.float64, generator=g)
    k = torch.randn(B, S, 5, dtype=torch.float64, generator=g)
    v = torch.randn(B, S, 3, dtype=torch.float64, generator=g)
    record("mha_kv", mha, [q, k, v],
           lambda m, q, k, v: m(q, k, v, attn_mask=additive_ts, key_padding_mask=pad_s,
                                need_weights=False)[0],
           {"attn": additive_ts, "padding": pad_s})

    # Initialisation under a seed (f32): PyTorch's draws, for the init test.
    torch.manual_seed(161)
    model = nn.Transformer(M, H, 2, 1, FF, batch_first=True)
    for k, v in model.state_dict().items():
        T_[f"tf.init.transformer.{k}"] = v.detach().clone().contiguous()
    torch.manual_seed(162)
    stack = nn.TransformerEncoder(nn.TransformerEncoderLayer(M, H, FF), 2)
    for k, v in stack.state_dict().items():
        T_[f"tf.init.encoder.{k}"] = v.detach().clone().contiguous()
    torch.manual_seed(163)
    mha = nn.MultiheadAttention(M, H, kdim=5, vdim=3)
    for k, v in mha.state_dict().items():
        T_[f"tf.init.mha_kv.{k}"] = v.detach().clone().contiguous()
