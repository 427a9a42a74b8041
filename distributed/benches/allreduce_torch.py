"""One rank of the all-reduce benchmark in PyTorch's torch.distributed (Gloo), driven by
distributed/benches/allreduce.rs: each `size BYTES` line on stdin times that size's all-reduces
and prints the seconds per all-reduce; anything else ends."""
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
    reps = dict(sizes)
    for line in sys.stdin:
        words = line.split()
        if len(words) != 2 or words[0] != "size":
            break
        b = int(words[1])
        t = tensors[b]
        dist.barrier()
        start = time.perf_counter()
        for _ in range(reps[b]):
            dist.all_reduce(t)
        print((time.perf_counter() - start) / reps[b], flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
