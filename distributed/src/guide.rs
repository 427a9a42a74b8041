//! # Guide: training on several processes and machines
//!
//! Chapter 11 of the typed-torch guide (the others are in `typed_torch::guide`). Its code is
//! compiled and run as tests; the blocks that need several processes are compiled only.
//!
//! ## What runs where
//!
//! Data-parallel training runs one process per device (per CPU socket or core group, or per
//! GPU). Every process holds a whole replica of the model and trains on its own shard of each
//! batch; after each backward pass the gradients are averaged over the processes, so every
//! replica takes the same optimizer step, the one one process would take on the whole batch.
//!
//! | piece | what it does | PyTorch |
//! | --- | --- | --- |
//! | `typed-torch-run` | starts the processes, sets their environment, watches them | `torchrun` |
//! | [`ProcessGroup`](crate::ProcessGroup) | the connections between the processes | `dist.init_process_group` |
//! | collectives | `all_reduce`, `broadcast`, `all_gather`, `reduce_scatter`, `barrier` | `dist.*` |
//! | [`DistributedDataParallel`](crate::DistributedDataParallel) | same start, averaged gradients | `DistributedDataParallel` |
//! | [`DistributedSampler`](typed_torch::data::DistributedSampler) | each process's shard of the data | `DistributedSampler` |
//! | [`save`](crate::save) / [`load`](crate::load) | rank 0 writes, every rank reads | `if rank == 0: torch.save` |
//!
//! The transport is PyTorch's own c10d engine (TCPStore for the rendezvous, Gloo between CPU
//! processes, NCCL between GPUs), called through a small C++ shim; a collective here gives the
//! result `torch.distributed` gives.
//!
//! ## A process group
//!
//! A group is made once per process. Under a launcher, [`ProcessGroup::from_env`](crate::ProcessGroup::from_env)
//! reads `RANK`, `WORLD_SIZE`, `MASTER_ADDR` and `MASTER_PORT`; without one,
//! [`InitOptions`](crate::InitOptions) says the same explicitly. A group of one process works
//! like any other, which is how this block runs as a test:
//!
//! ```
//! use std::time::Duration;
//! use typed_torch::{Tensor, D};
//! use typed_torch_distributed::{InitOptions, ProcessGroup, ReduceOp};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
//! let options = InitOptions::new(0, 1, "127.0.0.1", port).timeout(Duration::from_secs(30));
//! let group = ProcessGroup::init(options)?;
//! assert_eq!((group.rank(), group.world_size()), (0, 1));
//!
//! // Collectives take tensors on the group's device (Cpu here: Gloo) and keep their shapes.
//! let mut t = Tensor::<(D<2>, D<3>)>::ones();
//! group.all_reduce(&mut t, ReduceOp::Sum)?;
//! let everyone: Tensor<(typed_torch::Dyn, D<2>, D<3>)> = group.all_gather(&t)?; // one row per rank
//! assert_eq!(everyone.size(), vec![1, 2, 3]);
//! let fixed: Tensor<(D<1>, D<2>, D<3>)> = group.all_gather_static::<1, _, _>(&t)?; // checked: 1 rank
//! # let _ = fixed;
//! group.barrier()?;
//! # Ok(()) }
//! ```
//!
//! Every collective has the group's timeout (10 minutes unless set): a peer that died, was
//! never started or calls a different collective becomes a
//! [`DistError::Collective`](crate::DistError::Collective) on the others within it, never a
//! hang; ranks started with different world sizes are refused at once, with both numbers. After
//! a failed collective the group is unusable, as in PyTorch: end the process (the launcher then
//! stops the rest).
//!
//! ## DDP
//!
//! [`DistributedDataParallel`](crate::DistributedDataParallel) wraps the model. It checks that
//! every rank built the same model (names and shapes), copies rank 0's parameters and buffers to
//! the others, and plans gradient buckets: parameters in reverse order (the last layers'
//! gradients come first), up to 25 MiB per all-reduce. The buckets are slices of one gradient
//! buffer kept from step to step and laid out as the optimizers lay out parameters
//! ([`FlatLayout`](typed_torch::optim::FlatLayout)): each is all-reduced in place, and each
//! parameter's gradient is then a view of its slice, so nothing is copied back. Its `backward`
//! backpropagates and then averages the gradients; the optimizer is the usual one. Here on one
//! process, where averaging changes nothing:
//!
//! ```
//! use typed_torch::nn::{Linear, ReLU};
//! use typed_torch::optim::{Optimizer, Sgd, SgdConfig};
//! use typed_torch::prelude::*;
//! use typed_torch::{hlist, loss, Tensor, D};
//! use typed_torch_distributed::{DistributedDataParallel, InitOptions, ProcessGroup};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
//! # let group = ProcessGroup::init(InitOptions::new(0, 1, "127.0.0.1", port))?;
//! let model = hlist![Linear::<4, 16>::init()?, ReLU, Linear::<16, 1>::init()?];
//! let mut ddp = DistributedDataParallel::new(&group, model)?;
//! assert_eq!(ddp.buckets(), vec![vec!["2.bias", "2.weight", "0.bias", "0.weight"]]);
//! let mut opt = Sgd::new(ddp.module_mut(), SgdConfig { lr: 0.05, ..Default::default() })?;
//!
//! let (x, y) = (Tensor::<(D<8>, D<4>)>::randn(), Tensor::<(D<8>, D<1>)>::randn());
//! let first = loss::mse(&ddp.forward(x.clone())?, &y, loss::Mean).item();
//! for _ in 0..50 {
//!     opt.zero_grad();
//!     let l = loss::mse(&ddp.forward(x.clone())?, &y, loss::Mean);
//!     ddp.backward(&l)?;
//!     opt.step(ddp.module_mut())?;
//! }
//! assert!(loss::mse(&ddp.forward(x)?, &y, loss::Mean).item() < first);
//!
//! // Gradient accumulation: inside no_sync, backward only adds up this rank's gradients; the
//! // next synchronised backward averages the sum.
//! ddp.no_sync(|ddp| -> typed_torch_distributed::Result<()> {
//!     let l = loss::mse(&ddp.forward(Tensor::<(D<8>, D<4>)>::randn())?, &y, loss::Mean);
//!     ddp.backward(&l)
//! })?;
//! # Ok(()) }
//! ```
//!
//! The all-reduces run when the backward pass has finished. PyTorch's DDP starts each bucket's
//! all-reduce from an autograd hook as soon as its gradients are ready, overlapping communication
//! with the rest of the backward pass; tch exposes no such hooks, so here the two take turns. The
//! result is the same; on a fast network and a deep model PyTorch hides part of the traffic.
//!
//! Each rank's loss is the mean over its shard, so with equal shards the averaged gradient is
//! the gradient of the mean over the whole batch: DDP on 2 or 3 processes equals one process on
//! the concatenated batches to 1e-16 in f64 (tested for SGD and Adam, with and without
//! accumulation). BatchNorm's running statistics are buffers: DDP copies rank 0's to every rank
//! before each forward (PyTorch's `broadcast_buffers=True`); the batch statistics of the forward
//! pass are each rank's own, as in PyTorch without `SyncBatchNorm`.
//!
//! ## Data: one shard per rank
//!
//! [`ProcessGroup::sampler`](crate::ProcessGroup::sampler) is this rank's
//! [`DistributedSampler`](typed_torch::data::DistributedSampler); the loader batches only its
//! shard. With a shared seed every rank shuffles alike, so shards are disjoint and, across the
//! ranks, cover the data once per epoch (padded with repeats when the data does not divide,
//! exactly as PyTorch pads):
//!
//! ```
//! use typed_torch::data::{DataLoader, DistributedSampler, TensorDataset};
//! use typed_torch::{Dyn, Tensor, D};
//! # fn main() -> typed_torch::Result<()> {
//! let x = Tensor::<(Dyn, D<3>)>::zeros_dyn(&[10])?;
//! let y = Tensor::<(Dyn,), i64>::zeros_dyn(&[10])?;
//! // group.sampler() in a real run; rank 1 of 2 here.
//! let shard = DistributedSampler::new(1, 2)?.shuffle(true).seed(7);
//! let loader = DataLoader::new(TensorDataset::new(x, y)?, 4)?.sampler(shard);
//! assert_eq!(loader.order(0).len(), 5);
//! # Ok(()) }
//! ```
//!
//! The global batch is the per-rank batch times the number of ranks: to keep `mnist_cnn`'s 32
//! digits per step on 2 processes, each takes 16.
//!
//! ## Checkpoints
//!
//! Replicas are identical, so one file holds the run. [`save`](crate::save) has rank 0 write it
//! (atomically) and every rank wait for it; [`load`](crate::load) has every rank read it and
//! fails on every rank if any rank could not. A run stopped and resumed from its checkpoint
//! (model, optimizer state) continues bit for bit (tested with 2 ranks).
//!
//! ```no_run
//! use typed_torch::checkpoint::{Loader, Saver};
//! # use typed_torch::prelude::*;
//! # use typed_torch::nn::Linear;
//! # use typed_torch::optim::{Adam, AdamConfig};
//! # use typed_torch_distributed::{DistributedDataParallel, ProcessGroup};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let group = ProcessGroup::from_env()?;
//! # let mut ddp = DistributedDataParallel::new(&group, Linear::<4, 1>::init()?)?;
//! # let mut opt = Adam::new(ddp.module_mut(), AdamConfig::default())?;
//! let path = std::path::Path::new("runs/last.safetensors");
//! typed_torch_distributed::save(&group, &Saver::new(ddp.module()).optimizer(&opt), path)?;
//! // ... later, in a new run, on every rank:
//! typed_torch_distributed::load(&group, Loader::new(ddp.module_mut()).optimizer(&mut opt), path)?;
//! # Ok(()) }
//! ```
//!
//! ## The launcher
//!
//! `typed-torch-run` is torchrun's interface for any program (the `typed-torch-run` crate;
//! `cargo install --path launcher`, or `cargo build --release -p typed-torch-run`):
//!
//! ```text
//! typed-torch-run --nproc-per-node 2 -- target/release/examples/mnist_ddp --epochs 12
//! ```
//!
//! It starts the processes with `RANK`, `WORLD_SIZE`, `LOCAL_RANK`, `LOCAL_WORLD_SIZE`,
//! `GROUP_RANK`, `MASTER_ADDR` and `MASTER_PORT` set, prefixes every line they print with
//! `[rank N]`, forwards Ctrl-C and `SIGTERM` to all of them, and when one fails it stops the
//! others (`SIGTERM`, then `SIGKILL` after a grace period) and exits with the failed rank's
//! status. Programs read the environment through
//! [`ProcessGroup::from_env`](crate::ProcessGroup::from_env), so the same binary also runs
//! under PyTorch's `torchrun`.
//!
//! ## From one machine to several
//!
//! Every machine runs the same command with its own `--node-rank`; `--master-addr` is an address
//! of machine 0 every machine can reach, and the port must be open between them:
//!
//! ```text
//! # machine 0 (10.0.0.1)                                        # machine 1
//! typed-torch-run --nnodes 2 --node-rank 0 \                     typed-torch-run --nnodes 2 --node-rank 1 \
//!   --nproc-per-node 2 --master-addr 10.0.0.1 \                    --nproc-per-node 2 --master-addr 10.0.0.1 \
//!   --master-port 29500 -- ./train                                 --master-port 29500 -- ./train
//! ```
//!
//! Ranks 0 and 1 run on machine 0, ranks 2 and 3 on machine 1. Gloo listens on the address
//! the machine's host name resolves to; where that is not the network the machines share, set
//! `GLOO_SOCKET_IFNAME` (e.g. `eth0`) as for PyTorch. Checkpoints go to storage every machine
//! sees, or are copied before a resume.
//!
//! ## GPUs: the device is in the type
//!
//! A typed model's device is part of its type (`Cuda<0>`), so a process should see its own GPU
//! as device 0: `typed-torch-run --one-gpu-per-rank` sets `CUDA_VISIBLE_DEVICES` to the local
//! rank's GPU for each process (or to the local rank's entry of an existing list), and every
//! rank's program is the same `Cuda<0>` code. The group for GPU tensors is
//! `ProcessGroup::<Cuda<0>>::init_nccl` (libtorch's `ProcessGroupNCCL`, compiled where
//! libtorch has CUDA and NCCL's headers are present, as with the set-up's wheel). On a machine
//! without a GPU it is a [`DistError::Unavailable`](crate::DistError::Unavailable) saying so;
//! the test that all-reduces over NCCL runs where there are GPUs and says it skipped elsewhere.
//! The NCCL path has not run yet: no GPU was available where it was written.
