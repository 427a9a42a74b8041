"""One VAE training step in PyTorch for tests/train/vae_mnist.rs (f64): the model of
models/src/vae.rs (same state_dict names), a batch of 4 images and the draw's noise, the loss
(negative mean ELBO, written with torch.distributions), every parameter's gradient, and the
parameters after one Adam step (lr 1e-3).

Keys: `vae.param.<name>` (before), `vae.x`, `vae.eps`, `vae.loss`, `vae.pgrad.<name>`,
`vae.after.<name>`.
"""
import torch
from torch import nn
from torch.distributions import Bernoulli, Independent, Normal, kl_divergence

Z = 3


class Vae(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(784, 400), nn.ReLU())
        self.mean = nn.Linear(400, Z)
        self.log_var = nn.Linear(400, Z)
        self.decoder = nn.Sequential(nn.Linear(Z, 400), nn.ReLU(), nn.Linear(400, 784))

    def elbo(self, x, eps):
        h = self.encoder(x)
        q = Independent(Normal(self.mean(h), torch.exp(0.5 * self.log_var(h))), 1)
        z = q.base_dist.loc + eps * q.base_dist.scale
        p = Independent(Bernoulli(logits=self.decoder(z), validate_args=False), 1)
        prior = Independent(Normal(torch.zeros_like(z), torch.ones_like(z)), 1)
        return p.log_prob(x) - kl_divergence(q, prior)


def add(case, T):
    g = torch.Generator().manual_seed(17)
    torch.manual_seed(17)
    model = Vae().double()
    for k, v in model.state_dict().items():
        T[f"vae.param.{k}"] = v.detach().clone().contiguous()
    # Grey digits-like images: intensities in [0, 1], most near 0.
    x = torch.rand(4, 784, dtype=torch.float64, generator=g) ** 4
    eps = torch.randn(4, Z, dtype=torch.float64, generator=g)
    T["vae.x"] = x
    T["vae.eps"] = eps
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss = -model.elbo(x, eps).mean()
    opt.zero_grad()
    loss.backward()
    T["vae.loss"] = loss.detach().clone()
    for k, p in model.named_parameters():
        T[f"vae.pgrad.{k}"] = p.grad.detach().clone().contiguous()
    opt.step()
    for k, v in model.state_dict().items():
        T[f"vae.after.{k}"] = v.detach().clone().contiguous()
