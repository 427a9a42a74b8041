"""PyTorch reference cases for RNN, LSTM and GRU stacks (see tests/layers/recurrent.rs).

Each config stores its state_dict (`rnn.<config>.param.<name>`), an input `x` in the config's
layout and a random initial state, PyTorch's output and final state from that state and from zeros,
and the gradients of `sum(out^2) + sum(h_n^2) (+ sum(c_n^2))` with respect to the input, the
initial state and every parameter (`rnn.<config>.pgrad.<name>`).
"""
import torch
from torch import nn

T_STEPS, BATCH, INPUT, HIDDEN = 5, 3, 4, 6

# name: (module class, kwargs)
CONFIGS = {
    "lstm": (nn.LSTM, {}),
    "lstm_2_bi_bf": (nn.LSTM, dict(num_layers=2, bidirectional=True, batch_first=True)),
    "lstm_2_proj": (nn.LSTM, dict(num_layers=2, proj_size=3)),
    "lstm_3_bi_proj_bf": (nn.LSTM, dict(num_layers=3, bidirectional=True, proj_size=3, batch_first=True)),
    "lstm_bi_nobias": (nn.LSTM, dict(bidirectional=True, bias=False)),
    "gru": (nn.GRU, {}),
    "gru_3_bi_bf": (nn.GRU, dict(num_layers=3, bidirectional=True, batch_first=True)),
    "rnn_2": (nn.RNN, dict(num_layers=2)),
    "rnn_relu_bi_bf_nobias": (nn.RNN, dict(nonlinearity="relu", bidirectional=True, batch_first=True, bias=False)),
}


def add_config(case, T, name, cls, kwargs, dtype):
    m = cls(INPUT, HIDDEN, **kwargs).to(dtype)
    key = f"rnn.{name}"
    for k, v in m.state_dict().items():
        T[f"{key}.param.{k}"] = v.detach().clone().contiguous()
    dirs = 2 if m.bidirectional else 1
    layers = m.num_layers
    out_size = m.proj_size if getattr(m, "proj_size", 0) else HIDDEN
    shape = (BATCH, T_STEPS, INPUT) if m.batch_first else (T_STEPS, BATCH, INPUT)
    x = torch.randn(*shape, dtype=dtype, requires_grad=True)
    h0 = torch.randn(layers * dirs, BATCH, out_size, dtype=dtype, requires_grad=True)
    is_lstm = isinstance(m, nn.LSTM)
    if is_lstm:
        c0 = torch.randn(layers * dirs, BATCH, HIDDEN, dtype=dtype, requires_grad=True)
        out, (h, c) = m(x, (h0, c0))
        loss = out.pow(2).sum() + h.pow(2).sum() + c.pow(2).sum()
        loss.backward()
        case(f"{key}.state", [x, h0, c0], out, [x.grad, h0.grad, c0.grad, h, c])
        zero_out, (zh, zc) = m(x)
        case(f"{key}.zero", [x], zero_out, [zh, zc])
    else:
        out, h = m(x, h0)
        loss = out.pow(2).sum() + h.pow(2).sum()
        loss.backward()
        case(f"{key}.state", [x, h0], out, [x.grad, h0.grad, h])
        zero_out, zh = m(x)
        case(f"{key}.zero", [x], zero_out, [zh])
    for k, p in m.named_parameters():
        T[f"{key}.pgrad.{k}"] = p.grad.detach().clone().contiguous()
    add_packed(case, m, key, x.detach(), h0.detach(), c0.detach() if is_lstm else None)


def add_packed(case, m, key, x, h0, c0):
    """Sequences of lengths 5, 2 and 4 in one padded batch, PyTorch packing them unsorted."""
    lengths = torch.tensor([5, 2, 4])
    x = x.clone().requires_grad_(True)
    h0 = h0.clone().requires_grad_(True)
    packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=m.batch_first, enforce_sorted=False)
    if c0 is not None:
        c0 = c0.clone().requires_grad_(True)
        out, (h, c) = m(packed, (h0, c0))
    else:
        out, h = m(packed, h0)
    out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=m.batch_first, total_length=T_STEPS)
    loss = out.pow(2).sum() + h.pow(2).sum() + (c.pow(2).sum() if c0 is not None else 0)
    loss.backward()
    if c0 is not None:
        case(f"{key}.packed", [x, h0, c0, lengths], out, [x.grad, h0.grad, c0.grad, h, c])
    else:
        case(f"{key}.packed", [x, h0, lengths], out, [x.grad, h0.grad, h])


def add_cell(case, T, name, cell):
    """Two steps of a cell from a random state; gradients of the squared outputs."""
    key = f"rnn_cell.{name}"
    for k, v in cell.state_dict().items():
        T[f"{key}.param.{k}"] = v.detach().clone().contiguous()
    x1 = torch.randn(BATCH, INPUT, dtype=torch.float64, requires_grad=True)
    x2 = torch.randn(BATCH, INPUT, dtype=torch.float64)
    h0 = torch.randn(BATCH, HIDDEN, dtype=torch.float64, requires_grad=True)
    if isinstance(cell, nn.LSTMCell):
        c0 = torch.randn(BATCH, HIDDEN, dtype=torch.float64, requires_grad=True)
        h1, c1 = cell(x1, (h0, c0))
        h2, c2 = cell(x2, (h1, c1))
        (h2.pow(2).sum() + c2.pow(2).sum()).backward()
        case(key, [x1, x2, h0, c0], h2, [c2, x1.grad, h0.grad, c0.grad])
        case(f"{key}.zero", [x1], cell(x1)[0], [cell(x1)[1]])
    else:
        h1 = cell(x1, h0)
        h2 = cell(x2, h1)
        h2.pow(2).sum().backward()
        case(key, [x1, x2, h0], h2, [x1.grad, h0.grad])
        case(f"{key}.zero", [x1], cell(x1))
    for k, p in cell.named_parameters():
        T[f"{key}.pgrad.{k}"] = p.grad.detach().clone().contiguous()


def add(case, T):
    torch.manual_seed(31)
    for name, cell in (("rnn", nn.RNNCell(INPUT, HIDDEN)), ("rnn_relu_nobias", nn.RNNCell(INPUT, HIDDEN, bias=False, nonlinearity="relu")),
                       ("lstm", nn.LSTMCell(INPUT, HIDDEN)), ("gru", nn.GRUCell(INPUT, HIDDEN)),
                       ("gru_nobias", nn.GRUCell(INPUT, HIDDEN, bias=False))):
        add_cell(case, T, name, cell.double())
    for name, (cls, kwargs) in CONFIGS.items():
        add_config(case, T, name, cls, kwargs, torch.float64)
    add_config(case, T, "lstm_2_bi_bf_f32", nn.LSTM, dict(num_layers=2, bidirectional=True, batch_first=True), torch.float32)
