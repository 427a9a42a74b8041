"""One rank of the all-reduce benchmark in PyTorch's torch.distributed (Gloo), driven by
distributed/benches/allreduce.rs: each `round` line on stdin runs every size once and rank 0
prints one JSON line of seconds per all-reduce; `quit` ends."""
import json
import os
import sys
import time

import torch
import torch.distributed as dist


def main():
    rank, world = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
    torch.set_num_threads(int(os.environ.get("BENCH_RANK_THREADS", "1")))
    dist.init_process_group(
        "gloo",
        init_method=f"tcp://127.0.0.1:{os.environ['MASTER_PORT']}",
        rank=rank,
        world_size=world,
    )
    sizes = json.loads(os.environ["BENCH_SIZES"])  # [[bytes, reps], ...]
    tensors = {b: torch.ones(b // 4, dtype=torch.float32) for b, _ in sizes}
    for line in sys.stdin:
        if line.strip() != "round":
            break
        times = {}
        for b, reps in sizes:
            t = tensors[b]
            dist.barrier()
            start = time.perf_counter()
            for _ in range(reps):
                dist.all_reduce(t)
            times[str(b)] = (time.perf_counter() - start) / reps
        if rank == 0:
            print(json.dumps(times), flush=True)
        else:
            print("{}", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
