"""Turns one run of scripts/bench.sh into benches/RESULTS.md: criterion's raw samples
(CRITERION_HOME/<group>/<function>[/<parameter>]/new/sample.json), and settings.json,
paired.json, pytorch.json, compile.json and memory.json from BENCH_OUT. Every time is the median
over samples of the time per iteration, with the fastest and slowest sample; typed/tch ratios are
medians of per-round ratios of the interleaved run (benches/paired.rs); other ratios divide medians
measured in this same run."""
import json
import os
import pathlib
import platform
import subprocess
import sys

OUT = pathlib.Path(os.environ["BENCH_OUT"])
CRITERION = pathlib.Path(os.environ["CRITERION_HOME"])


def stats(sample):
    per_iter = sorted(t / i for t, i in zip(sample["times"], sample["iters"]))
    n = len(per_iter)
    median = per_iter[n // 2] if n % 2 else (per_iter[n // 2 - 1] + per_iter[n // 2]) / 2
    return {"median": median, "min": per_iter[0], "max": per_iter[-1], "samples": n,
            "iters": int(sample["iters"][0])}


def load():
    results = {}
    for path in CRITERION.glob("**/new/sample.json"):
        name = "/".join(path.relative_to(CRITERION).parts[:-2])
        results[name] = stats(json.loads(path.read_text()))
    pytorch = json.loads((OUT / "pytorch.json").read_text())
    for name, sample in pytorch["results"].items():
        results[name] = stats(sample)
    return results, pytorch["meta"]


def fmt(ns):
    us = ns / 1e3
    if us >= 1000:
        return f"{us / 1000:.2f} ms"
    return f"{us:.1f} µs" if us >= 10 else f"{us:.2f} µs"


def cell(r):
    if r is None:
        return "—"
    return f"**{fmt(r['median'])}** <br><sub>{fmt(r['min'])} – {fmt(r['max'])}</sub>"


def ratio(a, b):
    if a is None or b is None:
        return "—"
    return f"{a['median'] / b['median']:.2f}"


def percentile(sorted_xs, q):
    """Linear-interpolation percentile (numpy's default) of a sorted list."""
    pos = (len(sorted_xs) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(sorted_xs) - 1)
    return sorted_xs[lo] + (sorted_xs[hi] - sorted_xs[lo]) * (pos - lo)


def paired_stats(entry):
    """Median per-iteration times of both sides, and the median and 10th-90th percentiles of the
    per-round typed/tch ratios."""
    typed, tch = entry["typed"], entry["tch"]
    ratios = sorted(a / b for a, b in zip(typed, tch))
    return {
        "typed": percentile(sorted(typed), 0.5) * 1e9,
        "tch": percentile(sorted(tch), 0.5) * 1e9,
        "ratio": percentile(ratios, 0.5),
        "low": percentile(ratios, 0.1),
        "high": percentile(ratios, 0.9),
        "rounds": len(ratios),
    }


def paired_ratio(paired, name):
    p = paired.get(name)
    return "—" if p is None else f"**{p['ratio']:.3f}**"


def ratios_svg(rows, threads):
    """Both ratio columns as a chart: per workload, typed / tch (median and 10th-90th percentile
    of the interleaved rounds) and typed / PyTorch eager. `rows` is (label, paired stats or None,
    PyTorch ratio or None)."""
    width, row_h, top, left, panel = 860, 26, 70, 150, 300
    height = top + row_h * len(rows) + 50
    panels = [("typed-torch / raw tch (interleaved)", 0.8, 1.2, [1.0, 1.03]),
              ("typed-torch / PyTorch eager", 0.0, 1.6, [1.0])]
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="15">typed-torch time ratios, '
           f'{threads} threads (lower is faster; dot: median, bar: 10th-90th percentile)</text>']
    for i, (title, lo, hi, marks) in enumerate(panels):
        x0 = left + i * (panel + 60)
        scale = lambda v, x0=x0, lo=lo, hi=hi: round(x0 + (min(max(v, lo), hi) - lo) / (hi - lo) * panel, 1)
        out.append(f'<text x="{x0 + panel / 2}" y="{top - 22}" text-anchor="middle">{title}</text>')
        legend = "solid: parity, dashed: the 1.03 target" if i == 0 else "solid: parity"
        out.append(f'<text x="{x0 + panel / 2}" y="{top + row_h * len(rows) + 36}" text-anchor="middle" '
                   f'font-size="11" fill="#555">{legend}</text>')
        out.append(f'<rect x="{x0}" y="{top - 10}" width="{panel}" height="{row_h * len(rows) + 10}" '
                   'fill="none" stroke="#999"/>')
        for tick in [lo + (hi - lo) * k / 4 for k in range(5)]:
            x = scale(tick)
            out.append(f'<text x="{x}" y="{top + row_h * len(rows) + 18}" text-anchor="middle">{tick:.2f}</text>')
        for m in marks:
            dash = "" if m == 1.0 else ' stroke-dasharray="4 3"'
            out.append(f'<line x1="{scale(m)}" x2="{scale(m)}" y1="{top - 10}" '
                       f'y2="{top + row_h * len(rows)}" stroke="#c33"{dash}/>')
        for j, (label, paired, vs_pytorch) in enumerate(rows):
            y = top + row_h * j + row_h / 2
            if i == 0:
                out.append(f'<text x="{left - 8}" y="{y + 4}" text-anchor="end">{label}</text>')
            if i == 0 and paired:
                out.append(f'<line x1="{scale(paired["low"])}" x2="{scale(paired["high"])}" y1="{y}" '
                           f'y2="{y}" stroke="#36c" stroke-width="3"/>')
                value = paired["ratio"]
            else:
                value = vs_pytorch if i == 1 else None
            if value is not None:
                out.append(f'<circle cx="{scale(value)}" cy="{y}" r="4.5" fill="#123"/>')
                out.append(f'<text x="{x0 + panel + 4}" y="{y + 4}" font-size="11">{value:.3f}</text>'
                           if i == 0 else
                           f'<text x="{x0 + panel + 4}" y="{y + 4}" font-size="11">{value:.2f}</text>')
    out.append("</svg>")
    return "\n".join(out)


def machine():
    model = "unknown CPU"
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(pathlib.Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{model}, {os.cpu_count()} cores{mem}, {platform.system()} {platform.release()}"


def main():
    r, meta = load()
    compile_ = json.loads((OUT / "compile.json").read_text()) if (OUT / "compile.json").exists() else None
    memory = json.loads((OUT / "memory.json").read_text()) if (OUT / "memory.json").exists() else None
    settings = json.loads((OUT / "settings.json").read_text())
    paired_run = json.loads((OUT / "paired.json").read_text()) if (OUT / "paired.json").exists() else None
    paired = {k: paired_stats(v) for k, v in paired_run["results"].items()} if paired_run else {}
    threads = settings["threads"]
    load_note = settings.get("load", "")
    lines = []
    w = lines.append
    w("# Benchmark results")
    w("")
    w("Written by `scripts/bench.sh` (do not edit by hand). Every time is the **median time per "
      "iteration** over the samples, with the fastest and slowest sample below it. Ratios come from "
      "this same run: typed / raw tch is the median of per-round ratios of an interleaved run "
      "(see [below](#typed-torch-against-raw-tch-interleaved)); other ratios divide medians. Lower is "
      "better; a ratio below 1 means typed-torch is faster.")
    w("")
    w(f"* Machine: {machine()}")
    w(f"* Threads: **{threads}** everywhere (`tch::set_num_threads`, `torch.set_num_threads`; "
      "the fused optimizer kernels use the same count)")
    w(f"* libtorch / PyTorch {meta['torch']} (Python {meta['python']}, eager mode), "
      f"{compile_['rustc'] if compile_ else 'rustc'}, release profile")
    w(f"* Method: {settings['warmup_s']} s warm-up, then "
      f"{settings['samples']} samples of equal iteration counts over about "
      f"{settings['measure_s']} s (criterion's flat sampling; `benches/pytorch.py` "
      "does the same in Python)")
    if paired_run:
        w(f"* Interleaved typed / tch ratios: {paired_run['rounds']} rounds of one "
          f"{paired_run['block_ms']:.0f} ms block per side, order switched every round")
    if load_note:
        w(f"* Load: {load_note}")
    w("")

    w("## MLP 784-300-100-10 (`backprop` README), f32, CPU")
    w("")
    w("Forward: inference (no autograd graph). Gradient: zero the gradients, forward, "
      "cross-entropy, backward. Train: gradient + SGD update (lr 0.01). \"Manual\" computes the "
      "gradients by hand with plain tch ops and no autograd (checked against autograd before "
      "timing).")
    w("")
    w("| what | batch | typed-torch | raw tch | manual | PyTorch eager | typed / tch | typed / PyTorch |")
    w("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for what in ("forward", "gradient", "train"):
        for n in (1, 32, 256):
            g = f"mlp_{what}"
            t, c, m, p = (r.get(f"{g}/{k}/{n}") for k in ("typed", "tch", "manual", "pytorch"))
            w(f"| {what} | {n} | {cell(t)} | {cell(c)} | {cell(m)} | {cell(p)} "
              f"| {paired_ratio(paired, f'{g}/{n}')} | {ratio(t, p)} |")
    w("")

    if r.get("mlp_gradient/functional/1"):
        w("## Gradient of one batch, `backprop`'s benchmark: functional and hybrid against manual")
        w("")
        w("The same MLP gradient four ways: hand-written (\"manual\", plain tch ops, no autograd), "
          "`functional::grad` over the model (the gradient is a model), module autograd "
          "(`loss.backward()`), and a hybrid whose logistic layers are `custom_op3`s with hand-written "
          "backward passes, chained by autodiff. Overhead is time over manual's.")
        w("")
        w("| batch | manual | functional | module autograd | hybrid | functional / manual | module / manual | hybrid / manual |")
        w("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for n in (1, 32, 256):
            m, f, t, h = (r.get(f"mlp_gradient/{k}/{n}") for k in ("manual", "functional", "typed", "hybrid"))
            w(f"| {n} | {cell(m)} | {cell(f)} | {cell(t)} | {cell(h)} | {ratio(f, m)} | {ratio(t, m)} | {ratio(h, m)} |")
        w("")

    chart_rows = []
    for what in ("forward", "gradient", "train"):
        for n in (1, 32, 256):
            t, p = r.get(f"mlp_{what}/typed/{n}"), r.get(f"mlp_{what}/pytorch/{n}")
            chart_rows.append((f"MLP {what} {n}", paired.get(f"mlp_{what}/{n}"),
                               t["median"] / p["median"] if t and p else None))
    t, p = r.get("lenet_train/typed"), r.get("lenet_train/pytorch")
    chart_rows.append(("LeNet train 64", paired.get("lenet_train"),
                       t["median"] / p["median"] if t and p else None))
    chart = pathlib.Path(__file__).with_name("ratios.svg")
    chart.write_text(ratios_svg(chart_rows, threads))
    w(f"![typed-torch time ratios against raw tch and PyTorch eager]({chart.name})")
    w("")

    w("## LeNet training step, batch 64 (Adam, PyTorch defaults)")
    w("")
    w("| typed-torch | raw tch | PyTorch eager | typed / tch | typed / PyTorch |")
    w("| ---: | ---: | ---: | ---: | ---: |")
    t, c, p = r.get("lenet_train/typed"), r.get("lenet_train/tch"), r.get("lenet_train/pytorch")
    w(f"| {cell(t)} | {cell(c)} | {cell(p)} | {paired_ratio(paired, 'lenet_train')} | {ratio(t, p)} |")
    w("")

    lstm = paired.get("lstm_gradient")
    if lstm:
        w("## LSTM, 2 layers, hidden 256, 100 steps, batch 32: forward and backward")
        w("")
        w("`nn.LSTM(256, 256, num_layers=2)` against tch's `nn::lstm` (same fused kernel) and PyTorch "
          "eager. typed-torch and tch times are the medians of the interleaved run below.")
        w("")
        w("| typed-torch | raw tch | PyTorch eager | typed / tch | typed / PyTorch |")
        w("| ---: | ---: | ---: | ---: | ---: |")
        p = r.get("lstm_gradient/pytorch")
        vs_pytorch = f"{lstm['typed'] / p['median']:.2f}" if p else "–"
        w(f"| {fmt(lstm['typed'])} | {fmt(lstm['tch'])} | {cell(p)} | **{lstm['ratio']:.3f}** | {vs_pytorch} |")
        w("")

    graph_run = json.loads((OUT / "graph.json").read_text()) if (OUT / "graph.json").exists() else None
    if graph_run:
        w(f"## Graph layers: {graph_run['nodes']:,} nodes, {graph_run['edges']:,} random edges, "
          f"{graph_run['features']} features, forward and backward")
        w("")
        w("`benches/graph.rs`: typed-torch, the same computation written with raw tch ops, and "
          "torch_geometric (a worker process on the same graph) alternate in blocks, round after "
          "round; ratios are medians of per-round ratios. `gcn` reuses the normalised edge weights "
          "(typed-torch keeps them with the `Edges`, PyG `cached=True`); `gcn_uncached` starts each "
          "pass from the bare edge list (typed-torch checks it again; PyG's default); `gat` has 4 "
          "heads of 16.")
        w("")
        w("| workload | typed-torch | raw tch | torch_geometric | typed / tch | typed / PyG | rounds |")
        w("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for g in graph_run["results"]:
            w(f"| {g['name']} | {fmt(g['typed'] * 1e9)} | {fmt(g['tch'] * 1e9)} | {fmt(g['pyg'] * 1e9)} "
              f"| **{g['typed_over_tch']:.3f}** | **{g['typed_over_pyg']:.3f}** | {g['rounds']} |")
        w("")

    transformer_run = (json.loads((OUT / "transformer.json").read_text())
                       if (OUT / "transformer.json").exists() else None)
    if transformer_run:
        t = transformer_run
        w(f"## Transformer encoder: {t['layers']} layers, width {t['width']}, {t['heads']} heads, "
          f"feed-forward {t['feed_forward']}, batch {t['batch']} x {t['steps']} steps, forward and backward")
        w("")
        w("`benches/transformer.rs`: typed-torch's `TransformerEncoder`, the same layers written with "
          "raw tch ops, and PyTorch's `nn.TransformerEncoder` (a worker process holding the same "
          f"weights) alternate in blocks, round after round; training mode, dropout {t['dropout']}; "
          "ratios are medians of per-round ratios.")
        w("")
        w("| typed-torch | raw tch | PyTorch eager | typed / tch | typed / PyTorch | rounds |")
        w("| ---: | ---: | ---: | ---: | ---: | ---: |")
        w(f"| {fmt(t['typed'] * 1e9)} | {fmt(t['tch'] * 1e9)} | {fmt(t['torch'] * 1e9)} "
          f"| **{t['typed_over_tch']:.3f}** | **{t['typed_over_torch']:.3f}** | {t['rounds']} |")
        w("")

    small_run = (json.loads((OUT / "small_batch.json").read_text())
                 if (OUT / "small_batch.json").exists() else None)
    if small_run:
        sb = small_run
        w("## Small batches: the compiled training step")
        w("")
        w("`benches/small_batch.rs`: one training step of `typed_torch::compiled::TrainStep` (forward "
          "into kept buffers, hand-derived backward, SGD folded into the backward pass), the same "
          "step in raw tch (eager autograd), and PyTorch eager (a worker process) alternate in blocks, "
          f"round after round, every side at {sb['threads']} threads (the compiled step runs small "
          "work on one); ratios are medians of per-round ratios. MLP: the README's 784-300-100-10 "
          "sigmoid network, cross-entropy, SGD lr 0.01; LeNet-5: batch 64, Adam.")
        w("")
        w("| workload | compiled | raw tch | PyTorch eager | compiled / tch | compiled / PyTorch | rounds |")
        w("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in sb["rows"]:
            w(f"| {r['workload']} | {fmt(r['compiled'] * 1e9)} | {fmt(r['tch'] * 1e9)} | {fmt(r['torch'] * 1e9)} "
              f"| **{r['compiled_over_tch']:.3f}** | **{r['compiled_over_torch']:.3f}** | {sb['rounds']} |")
        w("")

    linalg_run = (json.loads((OUT / "linalg.json").read_text())
                  if (OUT / "linalg.json").exists() else None)
    if linalg_run:
        la = linalg_run
        w("## Linear algebra with gradients")
        w("")
        w("`benches/linalg.rs`: `gp` is a Gaussian process's negative log marginal likelihood and its "
          f"gradient ({la['points']} points of {la['features']} features, f64: RBF kernel, Cholesky, "
          f"Cholesky solve, log-determinant); `small` is det, inv, solve and Cholesky of {la['matrices']} "
          "4x4 matrices with their gradients. typed-torch, the same on raw tch, and PyTorch eager (a "
          "worker process holding the same data) alternate in blocks, round after round; ratios are "
          "medians of per-round ratios.")
        w("")
        w("| workload | typed-torch | raw tch | PyTorch eager | typed / tch | typed / PyTorch | rounds |")
        w("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for g in la["results"]:
            w(f"| {g['name']} | {fmt(g['typed'] * 1e9)} | {fmt(g['tch'] * 1e9)} | {fmt(g['torch'] * 1e9)} "
              f"| **{g['typed_over_tch']:.3f}** | **{g['typed_over_torch']:.3f}** | {g['rounds']} |")
        w("")

    dist_run = (json.loads((OUT / "distributed.json").read_text())
                if (OUT / "distributed.json").exists() else None)
    if dist_run:
        d = dist_run
        pinned = "rank r of either pair on CPU r" if d.get("pinned") else "ranks not pinned"
        w("## Distributed: all-reduce and DDP steps")
        w("")
        w("`distributed/benches/allreduce.rs`: all-reduce of f32 between 2 processes on this machine "
          "(Gloo over loopback) through typed-torch-distributed and through Python's "
          "`torch.distributed`; both pairs of processes stay up and take turns size by size, "
          f"round after round ({pinned}); ratios are medians of per-round ratios.")
        w("")
        w("| size | typed-torch | torch.distributed | typed / torch | rounds |")
        w("| ---: | ---: | ---: | ---: | ---: |")
        for a in d["allreduce"]:
            b = a["bytes"]
            size = f"{b // 1048576} MiB" if b >= 1048576 else f"{b // 1024} KiB"
            w(f"| {size} | {fmt(a['typed_s'] * 1e9)} | {fmt(a['torch_s'] * 1e9)} "
              f"| **{a['ratio']:.3f}** | {d.get('rounds', '?')} |")
        w("")
        w("DDP training step of the LeNet, 32 digits per step in all (Adam), median of 40 steps:")
        w("")
        w("| processes | digits per process | step |")
        w("| ---: | ---: | ---: |")
        for r in d["ddp"]:
            w(f"| {r['processes']} | {32 // r['processes']} | {fmt(r['step_ms'] * 1e6)} |")
        w("")

    if paired:
        w("## typed-torch against raw tch, interleaved")
        w("")
        w("Criterion measures each implementation in its own stretch of time, so a drift in the "
          "machine's speed moves one side of a ratio and not the other. `benches/paired.rs` runs the "
          "same workloads as above with typed-torch and raw tch alternating in equal blocks; each "
          "round gives one typed / tch ratio from two blocks measured milliseconds apart.")
        w("")
        w("| workload | typed-torch | raw tch | typed / tch (median) | 10th – 90th percentile | rounds |")
        w("| --- | ---: | ---: | ---: | ---: | ---: |")
        order = [f"mlp_{what}/{n}" for what in ("forward", "gradient", "train") for n in (1, 32, 256)]
        names = [n for n in order if n in paired] + sorted(n for n in paired if n not in order)
        for name in names:
            p = paired[name]
            w(f"| {name} | {fmt(p['typed'])} | {fmt(p['tch'])} | **{p['ratio']:.3f}** "
              f"| {p['low']:.3f} – {p['high']:.3f} | {p['rounds']} |")
        worst = max(paired.items(), key=lambda kv: kv[1]["ratio"])
        w("")
        w(f"Largest median ratio: {worst[1]['ratio']:.3f} ({worst[0]}).")
        w("")

    w("## Adam step, 10 x Linear(1024, 1024) = 10,496,000 parameters")
    w("")
    w("The step alone (gradients already there), PyTorch's default hyper-parameters. `torch.optim.Adam` "
      "default is its single-tensor loop on CPU.")
    w("")
    w("| typed-torch | raw tch (`nn::Adam`) | torch default | torch `foreach=True` | torch `fused=True` | typed / foreach | typed / fused |")
    w("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    a = {k: r.get(f"adam_step/{k}") for k in ("typed", "tch", "pytorch_default", "pytorch_foreach", "pytorch_fused")}
    w(f"| {cell(a['typed'])} | {cell(a['tch'])} | {cell(a['pytorch_default'])} | {cell(a['pytorch_foreach'])} "
      f"| {cell(a['pytorch_fused'])} | {ratio(a['typed'], a['pytorch_foreach'])} | {ratio(a['typed'], a['pytorch_fused'])} |")
    w("")

    if compile_:
        w("## Compile time (dev profile, wall clock, dependencies prebuilt)")
        w("")
        w("| what | median | min – max | runs |")
        w("| --- | ---: | ---: | ---: |")
        names = {
            "check_50_layers_clean": "`cargo check` of a crate defining a 50-layer typed CNN, its own artifacts removed",
            "check_50_layers_incremental": "the same after a one-line change",
            "build_typed_torch": "`cargo build -p typed-torch` after `cargo clean -p typed-torch -p typed-torch-shape -p typed-torch-macros`",
        }
        for key, label in names.items():
            xs = sorted(compile_["results"].get(key, []))
            if xs:
                med = xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2
                w(f"| {label} | **{med:.2f} s** | {xs[0]:.2f} – {xs[-1]:.2f} s | {len(xs)} |")
        w("")

    if memory:
        w(f"## Memory: MLP training loop, batch {memory['batch']}, {memory['steps']:,} SGD steps")
        w("")
        w(f"Resident memory of the process read from `/proc/self/status` ({memory['seconds']:.1f} s in all).")
        w("")
        w("| step | VmHWM (peak) | VmRSS (current) |")
        w("| ---: | ---: | ---: |")
        for step, hwm, rss in memory["rows"]:
            w(f"| {step:,} | {hwm / 1024:.1f} MiB | {rss / 1024:.1f} MiB |")
        rows = memory["rows"]
        if len(rows) > 2:
            w("")
            w(f"Growth from step {rows[1][0]:,} to {rows[-1][0]:,}: peak {(rows[-1][1] - rows[1][1]) / 1024:+.1f} MiB, "
              f"current {(rows[-1][2] - rows[1][2]) / 1024:+.1f} MiB.")
        w("")

    sys.stdout.write("\n".join(lines))


if __name__ == "__main__":
    main()
