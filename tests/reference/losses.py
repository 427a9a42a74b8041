"""PyTorch reference cases for the losses (see tests/ops/losses_vs_pytorch.rs); called by ops.py."""
import torch
import torch.nn.functional as F


def add(case, T):
    g = torch.Generator().manual_seed(11)

    def randn(*s):
        return torch.randn(*s, generator=g, dtype=torch.float64)

    p, t = randn(4, 3), randn(4, 3)
    for red in ("mean", "sum", "none"):
        case(f"loss.mse.{red}", [p, t], F.mse_loss(p, t, reduction=red))
        case(f"loss.l1.{red}", [p, t], F.l1_loss(p, t, reduction=red))
        case(f"loss.smooth_l1.{red}", [p, t], F.smooth_l1_loss(p, t, reduction=red, beta=0.5))
        case(f"loss.huber.{red}", [p, t], F.huber_loss(p, t, reduction=red, delta=0.7))

    logits = randn(5, 4).requires_grad_(True)
    y = torch.tensor([0, 3, 1, 1, 2])
    w = torch.rand(4, generator=g, dtype=torch.float64) + 0.5
    for red in ("mean", "sum", "none"):
        case(f"loss.ce.{red}", [logits, y], F.cross_entropy(logits, y, reduction=red))
        case(f"loss.nll.{red}", [logits.log_softmax(1), y], F.nll_loss(logits.log_softmax(1), y, reduction=red))
    out = F.cross_entropy(logits, y, weight=w, label_smoothing=0.1)
    (grad,) = torch.autograd.grad(out, logits)
    case("loss.ce.weighted_smoothed", [logits, y, w], out, [grad])
    case("loss.nll.weighted", [logits.log_softmax(1), y, w], F.nll_loss(logits.log_softmax(1), y, weight=w))

    probs = torch.rand(3, 2, generator=g, dtype=torch.float64) * 0.9 + 0.05
    targets = torch.rand(3, 2, generator=g, dtype=torch.float64)
    z = randn(3, 2)
    pw = torch.rand(3, 2, generator=g, dtype=torch.float64) + 0.5
    for red in ("mean", "sum", "none"):
        case(f"loss.bce.{red}", [probs, targets], F.binary_cross_entropy(probs, targets, reduction=red))
        case(f"loss.bce_logits.{red}", [z, targets], F.binary_cross_entropy_with_logits(z, targets, reduction=red))
    case("loss.bce_logits.pos_weight", [z, targets, pw], F.binary_cross_entropy_with_logits(z, targets, pos_weight=pw))

    lp = randn(4, 5).log_softmax(1)
    q = randn(4, 5).softmax(1)
    for red in ("mean", "sum", "none"):
        case(f"loss.kl.{red}", [lp, q], F.kl_div(lp, q, reduction=red))
    case("loss.kl.log_target", [lp, q.log()], F.kl_div(lp, q.log(), reduction="sum", log_target=True))
