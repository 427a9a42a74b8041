"""torch_geometric reference cases for the scatter operations (see tests/ops/graph_scatter.rs):
per-edge rows reduced into nodes by sum, mean, max and min, the segment softmax and the degree,
with the gradients of `sum(out * w)` for a fixed random `w`, on an index where node 3 receives
nothing and node 0 receives four rows, some of them tied."""
import torch
from torch_geometric.utils import degree, scatter, softmax


def add(case, T):
    torch.manual_seed(21)
    index = torch.tensor([0, 2, 0, 4, 1, 0, 2, 0, 4])
    nodes = 5
    src = torch.randn(9, 3, dtype=torch.float64)
    src[5] = src[0]  # a tie inside node 0's group: max and min split the gradient
    for reduce in ("sum", "mean", "max", "min"):
        x = src.clone().requires_grad_(True)
        out = scatter(x, index, 0, dim_size=nodes, reduce=reduce)
        w = torch.randn_like(out)
        (out * w).sum().backward()
        case(f"graph.scatter_{reduce}", [x, index, w], out, [x.grad])
    for shape in ((9,), (9, 2)):
        x = torch.randn(*shape, dtype=torch.float64, requires_grad=True)
        out = softmax(x, index, num_nodes=nodes)
        w = torch.randn_like(out)
        (out * w).sum().backward()
        case(f"graph.softmax_{len(shape)}d", [x, index, w], out, [x.grad])
    case("graph.degree", [index], degree(index, nodes, dtype=torch.float64))

    # Self loops: node 1 has two loops (the last one's weight counts), node 3 none, duplicates kept.
    from torch_geometric.utils import add_remaining_self_loops, remove_self_loops
    edges = torch.tensor([[0, 1, 1, 2, 1, 0, 4], [1, 1, 2, 0, 1, 1, 4]])
    w = torch.rand(7, dtype=torch.float64, requires_grad=True)
    with_loops, lw = add_remaining_self_loops(edges, w, fill_value=2.0, num_nodes=nodes)
    g = torch.randn_like(lw)
    (lw * g).sum().backward()
    from graph_layers import superseded_loops
    # The first loop at node 1 does not count: its gradient is zero (torch_geometric credits it).
    exact = w.grad.masked_fill(superseded_loops(edges), 0.0)
    case("graph.add_loops", [edges, w, g], with_loops, [lw, exact])
    without, ww = remove_self_loops(edges, w.detach())
    case("graph.remove_loops", [edges, w.detach()], without, [ww])
