"""PyTorch parameter counts hard-coded in tests/model/param_count.rs:
`sum(p.numel() for p in m.parameters())`.

Run with `.typed-torch/python tests/reference/param_counts.py`; not part of the generated reference file.
"""
import torch, torch.nn as nn
def c(m): return sum(p.numel() for p in m.parameters())
items = {
 "Linear(784,300)": nn.Linear(784,300),
 "Linear(784,300,bias=False)": nn.Linear(784,300,bias=False),
 "Conv2d(1,6,5)": nn.Conv2d(1,6,5),
 "Conv2d(4,6,3,stride=2,padding=1,dilation=2,groups=2)": nn.Conv2d(4,6,3,stride=2,padding=1,dilation=2,groups=2),
 "Conv2d(4,6,3,bias=False)": nn.Conv2d(4,6,3,bias=False),
 "Conv1d(4,3,5,stride=2,padding=2)": nn.Conv1d(4,3,5,stride=2,padding=2),
 "Conv1d(4,6,3,groups=2,bias=False)": nn.Conv1d(4,6,3,groups=2,bias=False),
 "ConvTranspose2d(4,6,3,stride=2,padding=1,output_padding=1,groups=2)": nn.ConvTranspose2d(4,6,3,stride=2,padding=1,output_padding=1,groups=2),
 "ConvTranspose2d(4,6,3,bias=False)": nn.ConvTranspose2d(4,6,3,bias=False),
 "BatchNorm1d(3)": nn.BatchNorm1d(3),
 "BatchNorm2d(16)": nn.BatchNorm2d(16),
 "LayerNorm(8)": nn.LayerNorm(8),
 "GroupNorm(3,6)": nn.GroupNorm(3,6),
 "Embedding(100,16)": nn.Embedding(100,16),
 "MultiheadAttention(16,4,batch_first=True)": nn.MultiheadAttention(16,4,batch_first=True),
 "MultiheadAttention(16,4,batch_first=True,bias=False)": nn.MultiheadAttention(16,4,batch_first=True,bias=False),
 "ReLU": nn.ReLU(), "Dropout": nn.Dropout(0.5), "MaxPool2d(2)": nn.MaxPool2d(2), "Flatten": nn.Flatten(),
 "AdaptiveAvgPool2d(3)": nn.AdaptiveAvgPool2d(3), "AvgPool2d(2)": nn.AvgPool2d(2), "Softmax": nn.Softmax(1),
 "Sequential(Linear(8,8)) residual": nn.Linear(8,8),
 "ModuleList([Linear(4,3),Linear(4,5)])": nn.ModuleList([nn.Linear(4,3),nn.Linear(4,5)]),
 "Sequential(3x Linear(8,8))": nn.Sequential(*[nn.Linear(8,8) for _ in range(3)]),
}
for k,m in items.items(): print(f"{c(m):>8}  {k}")
cnn = nn.Sequential(
  nn.Conv2d(1,8,3,padding=1), nn.ReLU(), nn.Conv2d(8,8,3,padding=1,groups=2), nn.ReLU(), nn.MaxPool2d(2),
  nn.Conv2d(8,16,3,padding=1), nn.ReLU(), nn.Conv2d(16,16,3,padding=1), nn.ReLU(), nn.MaxPool2d(2),
  nn.Conv2d(16,32,3,padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(3),
  nn.Flatten(), nn.Linear(288,64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64,32), nn.Tanh(), nn.Linear(32,10))
print(len(cnn), c(cnn), "CNN")
