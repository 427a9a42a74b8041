"""PyTorch reference cases for the convolution, pooling and reshaping layers and a 20-layer CNN
(see tests/layers/cnn.rs); called by ops.py. Module parameters go under
`<case>.param.<state_dict key>`."""
import torch
from torch import nn


def add(case, T):
    torch.manual_seed(5)

    def module_case(name, module, *inputs):
        module = module.double().eval()
        for k, v in module.state_dict().items():
            T[f"{name}.param.{k}"] = v.detach().clone().contiguous()
        case(name, list(inputs), module(*inputs))

    x2 = torch.randn(2, 4, 9, 9, dtype=torch.float64)
    module_case("cnn.conv2d", nn.Conv2d(4, 6, 3), x2)
    module_case("cnn.conv2d_s2p1d2g2", nn.Conv2d(4, 6, 3, stride=2, padding=1, dilation=2, groups=2), x2)
    module_case("cnn.conv2d_nobias", nn.Conv2d(4, 2, 1, bias=False), x2)
    module_case("cnn.conv1d", nn.Conv1d(4, 3, 5, stride=2, padding=2), torch.randn(2, 4, 11, dtype=torch.float64))
    module_case("cnn.convt2d", nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2), x2)
    module_case("cnn.maxpool", nn.MaxPool2d(3, stride=2, padding=1), x2)
    module_case("cnn.avgpool", nn.AvgPool2d(2), x2)
    module_case("cnn.adaptive", nn.AdaptiveAvgPool2d((2, 3)), x2)
    module_case("cnn.flatten", nn.Flatten(), x2)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(
                nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(),
                nn.Conv2d(8, 8, 3, padding=1, groups=2), nn.ReLU(),
                nn.MaxPool2d(2),
                nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(),
                nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
                nn.MaxPool2d(2),
                nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                nn.AdaptiveAvgPool2d((3, 3)),
            )
            self.classifier = nn.Sequential(
                nn.Flatten(),
                nn.Linear(288, 64), nn.ReLU(), nn.Dropout(0.5),
                nn.Linear(64, 32), nn.Tanh(),
                nn.Linear(32, 10),
            )

        def forward(self, x):
            return self.classifier(self.features(x))

    net = Net()
    module_case("cnn.net", net, torch.randn(3, 1, 28, 28, dtype=torch.float64))
    flat = nn.Sequential(*net.features, *net.classifier)
    module_case("cnn.seq", flat, torch.randn(3, 1, 28, 28, dtype=torch.float64))
