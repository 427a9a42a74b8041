"""PyTorch reference trajectories for the optimizers (see tests/optim/vs_pytorch.rs); called by
ops.py.

One small MLP (Linear(4, 8), Tanh, Linear(8, 3)), one set of initial weights and six batches;
every case trains a copy for six steps with torch.optim and stores the final weights.
"""
import torch
import torch.nn.functional as F

STEPS = 6


def mlp(dtype):
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3)).to(dtype)


CASES = {
    "sgd": lambda ps: torch.optim.SGD(ps, lr=0.1),
    "sgd_momentum": lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=1e-2),
    "sgd_nesterov": lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3),
    "adam": lambda ps: torch.optim.Adam(ps, lr=1e-2),
    "adam_amsgrad_l2": lambda ps: torch.optim.Adam(ps, lr=1e-2, betas=(0.8, 0.99), weight_decay=0.1, amsgrad=True),
    "adamw": lambda ps: torch.optim.AdamW(ps, lr=1e-2),
    "adamw_amsgrad": lambda ps: torch.optim.AdamW(ps, lr=2e-2, weight_decay=0.05, amsgrad=True),
    "rmsprop": lambda ps: torch.optim.RMSprop(ps, lr=1e-2),
    "rmsprop_centered_momentum": lambda ps: torch.optim.RMSprop(
        ps, lr=1e-2, alpha=0.9, momentum=0.5, centered=True, weight_decay=1e-2),
    "adagrad": lambda ps: torch.optim.Adagrad(ps, lr=0.1),
    "adagrad_decay": lambda ps: torch.optim.Adagrad(
        ps, lr=0.1, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.1),
}


def train(model, opt, xs, ys, clip=None, sched=None):
    for x, y in zip(xs, ys):
        opt.zero_grad()
        F.mse_loss(model(x), y).backward()
        if clip is not None:
            torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()
        if sched is not None:
            sched.step()


def store(T, prefix, model):
    for k, v in model.state_dict().items():
        T[f"{prefix}.{k}"] = v.detach().clone().contiguous()


def add(case, T):
    g = torch.Generator().manual_seed(5)
    for dtype, tag in ((torch.float64, ""), (torch.float32, "_f32")):
        torch.manual_seed(3)
        init = mlp(dtype)
        store(T, f"optim{tag}.init", init)
        xs = [torch.randn(5, 4, generator=g, dtype=torch.float64).to(dtype) for _ in range(STEPS)]
        ys = [torch.randn(5, 3, generator=g, dtype=torch.float64).to(dtype) for _ in range(STEPS)]
        for k, (x, y) in enumerate(zip(xs, ys)):
            T[f"optim{tag}.x{k}"] = x
            T[f"optim{tag}.y{k}"] = y
        for name, make in CASES.items():
            model = mlp(dtype)
            model.load_state_dict(init.state_dict())
            train(model, make(model.parameters()), xs, ys)
            store(T, f"optim{tag}.{name}", model)

        # Parameter groups: the last layer has its own learning rate and no weight decay.
        model = mlp(dtype)
        model.load_state_dict(init.state_dict())
        head = [model[2].weight, model[2].bias]
        opt = torch.optim.AdamW([{"params": [model[0].weight, model[0].bias]},
                                 {"params": head, "lr": 0.1, "weight_decay": 0.0}], lr=1e-2, weight_decay=0.1)
        train(model, opt, xs, ys)
        store(T, f"optim{tag}.groups", model)

        # A frozen first layer.
        model = mlp(dtype)
        model.load_state_dict(init.state_dict())
        for p in model[0].parameters():
            p.requires_grad_(False)
        train(model, torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.1, momentum=0.9),
              xs, ys)
        store(T, f"optim{tag}.frozen", model)

        # OneCycleLR after every step, cycling the momentum (SGD) and beta1 (Adam), PyTorch's default.
        for name, make in (("onecycle_sgd", lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True)),
                           ("onecycle_adam", lambda ps: torch.optim.Adam(ps, lr=1e-2))):
            model = mlp(dtype)
            model.load_state_dict(init.state_dict())
            opt = make(model.parameters())
            sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.05, total_steps=STEPS, pct_start=0.5)
            train(model, opt, xs, ys, sched=sched)
            store(T, f"optim{tag}.{name}", model)

        # Gradient clipping by norm before each step.
        model = mlp(dtype)
        model.load_state_dict(init.state_dict())
        train(model, torch.optim.SGD(model.parameters(), lr=0.1), xs, ys, clip=0.3)
        store(T, f"optim{tag}.clipped", model)
