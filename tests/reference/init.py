"""PyTorch's initialisation of each layer under a fixed seed (see tests/model/init_on_device.rs):
the state_dict of a freshly constructed module, `init.<name>.<tensor>`, after
torch.manual_seed(SEED)."""
import torch
from torch import nn

SEED = 1234


def add(case, T):
    def fresh(name, make, dtype=torch.float32):
        torch.manual_seed(SEED)
        module = make().to(dtype)
        for k, v in module.state_dict().items():
            T[f"init.{name}.{k}"] = v.detach().clone().contiguous()

    # Modules are created in float32 (PyTorch's default dtype) and converted, as our f64 layers
    # draw the f64 values directly: so only the f32 cases compare bit for bit.
    fresh("linear", lambda: nn.Linear(784, 300))
    fresh("linear_no_bias", lambda: nn.Linear(20, 10, bias=False))
    fresh("conv2d", lambda: nn.Conv2d(3, 64, 7, stride=2, padding=3))
    fresh("conv2d_groups", lambda: nn.Conv2d(8, 16, 3, groups=4, bias=False))
    fresh("conv1d", lambda: nn.Conv1d(4, 8, 5))
    fresh("conv_transpose2d", lambda: nn.ConvTranspose2d(8, 4, 3, stride=2, groups=2))
    fresh("embedding", lambda: nn.Embedding(50, 16))
    fresh("mha", lambda: nn.MultiheadAttention(16, 4, batch_first=True))
    fresh("batch_norm2d", lambda: nn.BatchNorm2d(6))
    fresh("layer_norm", lambda: nn.LayerNorm(12))
    fresh("lstm", lambda: nn.LSTM(10, 20, num_layers=2, bidirectional=True, proj_size=5))
    fresh("gru", lambda: nn.GRU(10, 20, batch_first=True, bias=False))
    fresh("rnn", lambda: nn.RNN(10, 20, num_layers=3, nonlinearity="relu"))
    fresh("lstm_cell", lambda: nn.LSTMCell(10, 20))
    fresh("gru_cell", lambda: nn.GRUCell(10, 20))
    fresh("rnn_cell", lambda: nn.RNNCell(10, 20, bias=False))
