"""torch.distributions reference cases for tests/ops/distributions.rs (f64).

Each case stores the parameters and values as inputs, the result as `out`, and the gradients of
`sum(out * w)` (w fixed per case: `sum` alone would hide sign errors in some entries) with respect
to the float inputs as `grad0`, `grad1`, ... Draws are stored with the seed they were made under
(`dist.seed.<name>`), so the Rust side can draw under the same seed.
"""
import torch
from torch.distributions import (Bernoulli, Categorical, Independent, Normal,
                                 kl_divergence)


def add(case, T):
    g = torch.Generator().manual_seed(16)

    def randn(*s):
        return torch.randn(*s, dtype=torch.float64, generator=g)

    def rand(*s):
        return torch.rand(*s, dtype=torch.float64, generator=g)

    def with_grads(name, inputs, f):
        leaves = [x.clone().requires_grad_(x.is_floating_point()) for x in inputs]
        out = f(*leaves)
        w = torch.linspace(0.5, 1.5, out.numel(), dtype=torch.float64).reshape(out.shape)
        floats = [x for x in leaves if x.requires_grad]
        grads = torch.autograd.grad((out * w).sum(), floats, allow_unused=True)
        grads = [torch.zeros_like(x) if gr is None else gr for x, gr in zip(floats, grads)]
        case(name, inputs, out, grads)

    # ---- Normal ----
    loc, scale, value = randn(3, 4), rand(3, 4) + 0.3, randn(3, 4)
    with_grads("dist.normal.log_prob", [loc, scale, value],
               lambda m, s, v: Normal(m, s).log_prob(v))
    with_grads("dist.normal.entropy", [loc, scale], lambda m, s: Normal(m, s).entropy())
    with_grads("dist.normal.cdf", [loc, scale, value], lambda m, s, v: Normal(m, s).cdf(v))
    p = rand(3, 4) * 0.9 + 0.05
    with_grads("dist.normal.icdf", [loc, scale, p], lambda m, s, q: Normal(m, s).icdf(q))
    loc2, scale2 = randn(3, 4), rand(3, 4) + 0.3
    with_grads("dist.normal.kl", [loc, scale, loc2, scale2],
               lambda a, b, c, d: kl_divergence(Normal(a, b), Normal(c, d)))
    # Draws under a seed: rsample (with the gradient of sum(z^2 w)) and sample.
    torch.manual_seed(1601)
    with_grads("dist.normal.rsample", [loc, scale], lambda m, s: Normal(m, s).rsample())
    torch.manual_seed(1602)
    case("dist.normal.sample", [loc, scale], Normal(loc, scale).sample())

    # ---- Bernoulli ----
    logits = randn(2, 5) * 2
    coins = torch.tensor([[0., 1., 1., 0., 1.], [1., 0., 0.3, 0.8, 1.]], dtype=torch.float64)
    with_grads("dist.bernoulli.logits_log_prob", [logits, coins],
               lambda l, v: Bernoulli(logits=l, validate_args=False).log_prob(v))
    with_grads("dist.bernoulli.logits_entropy", [logits], lambda l: Bernoulli(logits=l).entropy())
    probs = rand(2, 5) * 0.8 + 0.1
    with_grads("dist.bernoulli.probs_log_prob", [probs, coins],
               lambda q, v: Bernoulli(probs=q, validate_args=False).log_prob(v))
    with_grads("dist.bernoulli.probs_entropy", [probs], lambda q: Bernoulli(probs=q).entropy())
    probs2 = rand(2, 5) * 0.8 + 0.1
    with_grads("dist.bernoulli.kl", [probs, probs2],
               lambda a, b: kl_divergence(Bernoulli(probs=a), Bernoulli(probs=b)))
    # Certain outcomes: finite log-densities through the clamp, infinite divergences.
    edge = torch.tensor([0.0, 1.0, 0.5, 0.0, 1.0], dtype=torch.float64)
    other = torch.tensor([0.3, 0.6, 0.0, 0.0, 1.0], dtype=torch.float64)
    case("dist.bernoulli.edge_log_prob", [edge, coins[0]], Bernoulli(probs=edge).log_prob(coins[0]))
    case("dist.bernoulli.edge_kl", [other, edge],
         kl_divergence(Bernoulli(probs=other), Bernoulli(probs=edge)))
    torch.manual_seed(1603)
    case("dist.bernoulli.sample", [probs], Bernoulli(probs=probs).sample())

    # ---- Categorical (batch (2, 3), 5 categories) ----
    logits = randn(2, 3, 5) * 1.5
    index = torch.randint(0, 5, (2, 3), generator=g)
    with_grads("dist.categorical.log_prob", [logits, index],
               lambda l, v: Categorical(logits=l).log_prob(v))
    with_grads("dist.categorical.entropy", [logits], lambda l: Categorical(logits=l).entropy())
    weights = rand(2, 3, 5) + 0.1
    weights[0, 1, 2] = 0.0  # an impossible category
    with_grads("dist.categorical.probs_entropy", [weights],
               lambda w: Categorical(probs=w).entropy())
    with_grads("dist.categorical.probs_log_prob", [weights, index],
               lambda w, v: Categorical(probs=w).log_prob(v))
    logits2 = randn(2, 3, 5)
    with_grads("dist.categorical.kl", [logits, logits2],
               lambda a, b: kl_divergence(Categorical(logits=a), Categorical(logits=b)))
    case("dist.categorical.edge_kl", [logits2, weights],
         kl_divergence(Categorical(logits=logits2), Categorical(probs=weights)))
    torch.manual_seed(1604)
    case("dist.categorical.sample", [weights], Categorical(probs=weights).sample())

    # ---- Independent: a diagonal Gaussian over 4-vectors, a Bernoulli over 5-pixel images ----
    with_grads("dist.independent.normal_log_prob", [loc, scale, value],
               lambda m, s, v: Independent(Normal(m, s), 1).log_prob(v))
    with_grads("dist.independent.normal_entropy", [loc, scale],
               lambda m, s: Independent(Normal(m, s), 1).entropy())
    with_grads("dist.independent.normal_kl", [loc, scale, loc2, scale2],
               lambda a, b, c, d: kl_divergence(Independent(Normal(a, b), 1),
                                                 Independent(Normal(c, d), 1)))
    with_grads("dist.independent.bernoulli_log_prob_2", [logits[0], index[0].double().unsqueeze(-1).expand(3, 5) % 2],
               lambda l, v: Independent(Bernoulli(logits=l, validate_args=False), 2).log_prob(v))
