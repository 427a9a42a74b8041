"""PyTorch reference cases for the learning-rate schedules and gradient clipping (see
tests/optim/schedules_vs_pytorch.rs); called by ops.py.

A schedule case `sched.<name>.out` holds the learning rates and then the momenta of a two-group
SGD optimizer (momentum 0.9), one row per step: row 0 right after the scheduler is created, row t
after t (optimizer.step(), scheduler.step()) pairs. A clipping case stores the gradients before (`.in<i>`), after
(`.grad<i>`) and the returned total norm (`.out`).
"""
import warnings

import torch
from torch.optim import lr_scheduler as S

BASE_LRS = (0.1, 0.025)  # two groups with different base rates
MOMENTUM = 0.9


def lrs(make, steps):
    params = [torch.nn.Parameter(torch.zeros(1, dtype=torch.float64)) for _ in BASE_LRS]
    opt = torch.optim.SGD([{"params": [p], "lr": lr} for p, lr in zip(params, BASE_LRS)], momentum=MOMENTUM)
    sched = make(opt)

    def row():
        return [g["lr"] for g in opt.param_groups] + [g["momentum"] for g in opt.param_groups]

    rows = [row()]
    for _ in range(steps):
        opt.step()
        sched.step()
        rows.append(row())
    out = torch.tensor(rows, dtype=torch.float64)
    # A schedule that never moves would make its comparison meaningless.
    assert len(set(out[:, 0].tolist())) > 2, make
    return out


def add(case, T):
    cases = {
        "step": (lambda o: S.StepLR(o, step_size=7, gamma=0.7), 150),
        "step_default": (lambda o: S.StepLR(o, step_size=30), 150),
        # Unsorted, with a repeated milestone (which decays twice), like PyTorch allows.
        "multistep": (lambda o: S.MultiStepLR(o, milestones=[60, 10, 25, 25, 140], gamma=0.3), 150),
        "exponential": (lambda o: S.ExponentialLR(o, gamma=0.97), 150),
        # Past t_max the rate rises again; 150 steps cross two minima and restarts.
        "cosine": (lambda o: S.CosineAnnealingLR(o, T_max=40), 150),
        "cosine_eta": (lambda o: S.CosineAnnealingLR(o, T_max=33, eta_min=0.004), 150),
        "cosine_long": (lambda o: S.CosineAnnealingLR(o, T_max=700, eta_min=1e-5), 1600),
        "linear": (lambda o: S.LinearLR(o), 120),
        "linear_decay": (lambda o: S.LinearLR(o, start_factor=1.0, end_factor=0.05, total_iters=100), 150),
        # The momentum cycles too (PyTorch's default), except in onecycle_cos3.
        "onecycle": (lambda o: S.OneCycleLR(o, max_lr=[0.5, 0.05], total_steps=150), 150),
        "onecycle_linear3": (lambda o: S.OneCycleLR(
            o, max_lr=0.3, total_steps=140, pct_start=0.25, anneal_strategy="linear", div_factor=10.0,
            final_div_factor=100.0, three_phase=True, base_momentum=0.8, max_momentum=0.9), 140),
        "onecycle_cos3": (lambda o: S.OneCycleLR(
            o, max_lr=[0.2, 0.7], total_steps=101, pct_start=0.4, three_phase=True, cycle_momentum=False), 101),
        "onecycle_pct0": (lambda o: S.OneCycleLR(o, max_lr=0.2, total_steps=120, pct_start=0.0), 120),
        "warmup_cosine": (lambda o: S.SequentialLR(
            o, [S.LinearLR(o, start_factor=0.01, total_iters=10), S.CosineAnnealingLR(o, T_max=140)],
            milestones=[10]), 150),
        # Three parts; the warm-up is cut off at step 5 before reaching its end factor.
        "sequential3": (lambda o: S.SequentialLR(
            o, [S.LinearLR(o, start_factor=0.1, total_iters=8), S.StepLR(o, step_size=20, gamma=0.6),
                S.ExponentialLR(o, gamma=0.98)], milestones=[5, 60]), 150),
        "warmup_multistep": (lambda o: S.SequentialLR(
            o, [S.LinearLR(o, start_factor=0.25, total_iters=12), S.MultiStepLR(o, [30, 80], gamma=0.5)],
            milestones=[12]), 130),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SequentialLR's deprecation notes about `epoch`
        for name, (make, steps) in cases.items():
            T[f"sched.{name}.out"] = lrs(make, steps)

    g = torch.Generator().manual_seed(5)
    shapes = {"w": (3, 4), "b": (4,), "s": ()}

    def grads(dtype, scale):
        return {k: torch.randn(s, generator=g, dtype=torch.float64).to(dtype) * scale
                for k, s in shapes.items()}

    def clip_case(name, gr, clip):
        params = []
        for k, v in gr.items():
            p = torch.nn.Parameter(torch.zeros_like(v))
            p.grad = v.clone()
            params.append(p)
        frozen = torch.nn.Parameter(torch.ones(2, 2, dtype=next(iter(gr.values())).dtype))  # no grad
        total = clip(params + [frozen])
        after = [p.grad for p in params]
        case(name, list(gr.values()), total if total is not None else torch.tensor(0.0), after)
        return gr, after

    for nt, tag in ((2.0, "2"), (1.0, "1"), (float("inf"), "inf")):
        for clipping, max_norm in ((True, 0.5), (False, 1e3)):
            gr, after = clip_case(f"clip.norm{tag}{'' if clipping else '_noclip'}", grads(torch.float64, 1.0),
                                  lambda ps: torch.nn.utils.clip_grad_norm_(ps, max_norm, norm_type=nt))
            changed = any(not torch.equal(a, b) for a, b in zip(gr.values(), after))
            assert changed == clipping, (tag, clipping)
    clip_case("clip.norm2_f32", grads(torch.float32, 3.0),
              lambda ps: torch.nn.utils.clip_grad_norm_(ps, 0.7))
    clip_case("clip.norminf_f32", grads(torch.float32, 3.0),
              lambda ps: torch.nn.utils.clip_grad_norm_(ps, 0.7, norm_type="inf"))
    gr, after = clip_case("clip.value", grads(torch.float64, 1.0),
                          lambda ps: torch.nn.utils.clip_grad_value_(ps, 0.4))
    assert any(not torch.equal(a, b) for a, b in zip(gr.values(), after))
    clip_case("clip.value_f32", grads(torch.float32, 1.0),
              lambda ps: torch.nn.utils.clip_grad_value_(ps, 0.25))
