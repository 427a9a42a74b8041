"""torch_geometric 2.8.1 reference cases for the graph layers (see tests/layers/graph.rs).

Two random graphs batched into one (`Batch.from_data_list`): 7 and 5 nodes, with an isolated node,
existing self loops (one node has two) and duplicate edges. Each config stores its state_dict
(`graph.<config>.param.<name>`), the layer's output on the batch, and the gradients of
`sum(out * w)` (w random, stored) with respect to the node features (`grad0`), the edge weights if
the layer uses them (`grad1`) and every parameter (`graph.<config>.pgrad.<name>`). Everything is
f64. `graph.init.*` holds freshly initialised layers for a given seed (in f32).
"""
import torch
from torch_geometric.data import Batch, Data
from torch_geometric.nn import (GATConv, GCNConv, GINConv, SAGEConv, global_add_pool,
                                global_max_pool, global_mean_pool)

F_IN, F_OUT = 4, 3


def graphs():
    g = torch.Generator().manual_seed(14)
    # Graph A, 7 nodes: node 6 isolated, loops at 2 (twice) and 4, 0->1 given twice.
    a = torch.tensor([[0, 0, 1, 2, 2, 3, 4, 1, 5, 2, 0, 3],
                      [1, 1, 2, 2, 3, 0, 4, 0, 1, 2, 3, 5]])
    # Graph B, 5 nodes: node 3 receives nothing, a loop at 0, 4->2 twice.
    b = torch.tensor([[0, 1, 2, 4, 4, 0, 3],
                      [1, 2, 0, 2, 2, 0, 1]])
    data = []
    for edges, n in ((a, 7), (b, 5)):
        x = torch.randn(n, F_IN, dtype=torch.float64, generator=g)
        w = torch.rand(edges.size(1), dtype=torch.float64, generator=g) + 0.25
        data.append(Data(x=x, edge_index=edges, edge_weight=w))
    return Batch.from_data_list(data)


# name: (constructor, uses edge weights)
CONFIGS = {
    "gcn": (lambda: GCNConv(F_IN, F_OUT), True),
    "gcn_plain": (lambda: GCNConv(F_IN, F_OUT), False),
    "gcn_improved": (lambda: GCNConv(F_IN, F_OUT, improved=True), True),
    "gcn_noloops": (lambda: GCNConv(F_IN, F_OUT, add_self_loops=False), True),
    "gcn_nonorm_nobias": (lambda: GCNConv(F_IN, F_OUT, normalize=False, bias=False), True),
    "sage": (lambda: SAGEConv(F_IN, F_OUT), False),
    "sage_max": (lambda: SAGEConv(F_IN, F_OUT, aggr="max"), False),
    "sage_norm_noroot_nobias": (lambda: SAGEConv(F_IN, F_OUT, normalize=True, root_weight=False, bias=False), False),
    "gat": (lambda: GATConv(F_IN, F_OUT, heads=2), False),
    "gat_mean_slope": (lambda: GATConv(F_IN, F_OUT, heads=3, concat=False, negative_slope=0.1), False),
    "gat_noloops_nobias": (lambda: GATConv(F_IN, F_OUT, heads=2, add_self_loops=False, bias=False), False),
    "gin": (lambda: GINConv(torch.nn.Sequential(torch.nn.Linear(F_IN, 8), torch.nn.ReLU(),
                                                torch.nn.Linear(8, F_OUT)), eps=0.3, train_eps=True), False),
    "gin_fixed": (lambda: GINConv(torch.nn.Sequential(torch.nn.Linear(F_IN, F_OUT)), eps=-0.2), False),
}


def superseded_loops(edge_index):
    """The self loops whose weight `add_remaining_self_loops` ignores (a node's loops but its
    last): torch_geometric's gradient credits them through `index_put`, though they do not change
    the output; typed-torch's is zero there, as finite differences are."""
    mask = torch.zeros(edge_index.size(1), dtype=torch.bool)
    last = {}
    for e in range(edge_index.size(1)):
        s, t = int(edge_index[0, e]), int(edge_index[1, e])
        if s == t:
            if s in last:
                mask[last[s]] = True
            last[s] = e
    return mask


def add(case, T):
    torch.manual_seed(14)
    batch = graphs()
    T["graph.batch.edge_index"] = batch.edge_index.clone()
    T["graph.batch.batch"] = batch.batch.clone()
    T["graph.batch.ptr"] = batch.ptr.clone()
    for name, (make, weighted) in CONFIGS.items():
        m = make().double()
        key = f"graph.{name}"
        for k, v in m.state_dict().items():
            T[f"{key}.param.{k}"] = v.detach().clone().contiguous()
        x = batch.x.clone().requires_grad_(True)
        w = batch.edge_weight.clone().requires_grad_(True)
        out = m(x, batch.edge_index, w) if weighted else m(x, batch.edge_index)
        g = torch.randn_like(out)
        (out * g).sum().backward()
        wg = w.grad
        if weighted and m.__class__ is GCNConv and m.add_self_loops and m.normalize:
            wg = wg.masked_fill(superseded_loops(batch.edge_index), 0.0)
        grads = [x.grad] + ([wg] if weighted else [])
        case(key, [x, batch.edge_index, w.detach(), g], out, grads)
        for k, p in m.named_parameters():
            T[f"{key}.pgrad.{k}"] = p.grad.detach().clone().contiguous()

    # Pooling over three graphs, the last without nodes.
    x = torch.randn(6, F_OUT, dtype=torch.float64)
    index = torch.tensor([0, 1, 0, 1, 1, 0])
    for name, pool in (("add", global_add_pool), ("mean", global_mean_pool), ("max", global_max_pool)):
        case(f"graph.pool_{name}", [x, index], pool(x, index, size=3))

    # Fresh layers from a seed, to compare initialisation draw for draw (f32, as created).
    for name, make in (("gcn", lambda: GCNConv(F_IN, F_OUT)), ("sage", lambda: SAGEConv(F_IN, F_OUT)),
                       ("gat", lambda: GATConv(F_IN, F_OUT, heads=2))):
        torch.manual_seed(7)
        for k, v in make().state_dict().items():
            T[f"graph.init.{name}.{k}"] = v.detach().clone().contiguous()
