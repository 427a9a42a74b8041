//! Distributed data parallelism: every rank trains a replica of the model on its own shard of
//! each batch; gradients are averaged across ranks before the optimizer steps, so every replica
//! takes the same step, the one a single process would take on the whole batch.
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use typed_torch::nn::{Module, Params};
use typed_torch::{Cpu, Device, Element, Tensor};

use crate::collectives::ReduceOp;
use crate::error::{DistError, Result};
use crate::ffi;
use crate::group::ProcessGroup;

/// How [`DistributedDataParallel`] communicates.
#[derive(Clone, Debug, PartialEq)]
pub struct DdpOptions {
    /// The largest gradient bucket, in MiB (PyTorch's `bucket_cap_mb`, 25 by default). Larger
    /// buckets mean fewer, larger all-reduces.
    pub bucket_cap_mb: f64,
    /// Copy rank 0's buffers (BatchNorm's running statistics) to every rank before each
    /// [`forward`](DistributedDataParallel::forward), as PyTorch's `broadcast_buffers=True`.
    pub broadcast_buffers: bool,
}

impl Default for DdpOptions {
    fn default() -> Self {
        DdpOptions {
            bucket_cap_mb: 25.0,
            broadcast_buffers: true,
        }
    }
}

/// One all-reduce: trainable parameters (indices in `state_dict` order) whose gradients are
/// flattened one after another into a single tensor of one dtype.
#[derive(Clone, Debug)]
struct Bucket {
    params: Vec<usize>,
    numels: Vec<i64>,
    kind: tch::Kind,
}

/// A model trained by several processes at once, PyTorch's `DistributedDataParallel`.
///
/// * At construction every parameter and buffer is copied from rank 0, so all replicas start
///   equal; ranks whose models differ (names, shapes) get a [`DistError::Mismatch`].
/// * [`backward`](Self::backward) runs the backward pass, then averages the gradients over the
///   ranks in buckets of at most [`DdpOptions::bucket_cap_mb`], filled in reverse parameter order
///   (PyTorch's order: the last layers' gradients are ready first).
/// * Inside [`no_sync`](Self::no_sync) gradients accumulate locally; the next synchronised
///   `backward` averages the accumulated sum (gradient accumulation without extra traffic).
///
/// The optimizer is the usual one, made from [`module_mut`](Self::module_mut): each rank steps
/// its replica with the same averaged gradients.
///
/// ```no_run
/// use typed_torch::prelude::*;
/// use typed_torch::nn::Linear;
/// use typed_torch::optim::{Optimizer, Sgd, SgdConfig};
/// use typed_torch::{loss, Tensor, D};
/// use typed_torch_distributed::{DistributedDataParallel, ProcessGroup};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let group = ProcessGroup::from_env()?;
/// let mut ddp = DistributedDataParallel::new(&group, Linear::<4, 1>::init()?)?;
/// let mut opt = Sgd::new(ddp.module_mut(), SgdConfig { lr: 0.1, ..Default::default() })?;
/// let (x, y) = (Tensor::<(D<8>, D<4>)>::randn(), Tensor::<(D<8>, D<1>)>::randn()); // this rank's shard
/// opt.zero_grad();
/// let loss = loss::mse(&ddp.forward(x)?, &y, loss::Mean);
/// ddp.backward(&loss)?; // gradients now averaged over every rank
/// opt.step(ddp.module_mut())?;
/// # Ok(()) }
/// ```
pub struct DistributedDataParallel<M, Dev: Device = Cpu> {
    module: M,
    group: ProcessGroup<Dev>,
    options: DdpOptions,
    buckets: Vec<Bucket>,
    trainable: usize,
    has_buffers: bool,
    no_sync_depth: usize,
}

impl<M: Params, Dev: Device> DistributedDataParallel<M, Dev> {
    /// Wraps `module` with the default options (25 MiB buckets, buffers broadcast).
    pub fn new(group: &ProcessGroup<Dev>, module: M) -> Result<Self> {
        Self::with_options(group, module, DdpOptions::default())
    }

    /// Wraps `module`: checks that every rank has the same parameters, copies rank 0's
    /// parameters and buffers everywhere and plans the gradient buckets.
    pub fn with_options(group: &ProcessGroup<Dev>, module: M, options: DdpOptions) -> Result<Self> {
        if options.bucket_cap_mb.is_nan() || options.bucket_cap_mb <= 0.0 {
            return Err(DistError::Settings(format!(
                "bucket_cap_mb must be positive, found {}",
                options.bucket_cap_mb
            )));
        }
        check_same_model(group, &module)?;
        let mut has_buffers = false;
        module.for_each_buffer(|_, _| has_buffers = true);
        let mut ddp = DistributedDataParallel {
            module,
            group: group.clone(),
            options,
            buckets: Vec::new(),
            trainable: 0,
            has_buffers,
            no_sync_depth: 0,
        };
        ddp.broadcast_state()?;
        ddp.plan_buckets();
        Ok(ddp)
    }

    /// Copies rank 0's parameters and buffers to every rank.
    pub fn broadcast_state(&mut self) -> Result<()> {
        let mut tensors = Vec::new();
        self.module
            .for_each_tensor(|_, t| tensors.push(t.shallow_clone()));
        tch::no_grad(|| {
            tensors
                .iter()
                .try_for_each(|t| self.group.broadcast_raw(t, 0, "broadcast of the model"))
        })
    }

    /// Copies rank 0's buffers (running statistics) to every rank.
    pub fn broadcast_buffers(&mut self) -> Result<()> {
        let mut tensors = Vec::new();
        self.module
            .for_each_buffer(|_, t| tensors.push(t.shallow_clone()));
        tensors
            .iter()
            .try_for_each(|t| self.group.broadcast_raw(t, 0, "broadcast of the buffers"))
    }

    fn trainable_params(&self) -> Vec<tch::Tensor> {
        let mut params = Vec::new();
        self.module.for_each_param(|_, t| {
            if t.requires_grad() {
                params.push(t.shallow_clone());
            }
        });
        params
    }

    fn plan_buckets(&mut self) {
        let params = self.trainable_params();
        self.trainable = params.len();
        let cap = (self.options.bucket_cap_mb * 1024.0 * 1024.0) as usize;
        let mut buckets: Vec<Bucket> = Vec::new();
        let mut bytes = 0usize;
        for (i, p) in params.iter().enumerate().rev() {
            let numel = p.numel();
            let size = numel * p.kind().elt_size_in_bytes();
            let fits = buckets
                .last()
                .is_some_and(|b| b.kind == p.kind() && bytes + size <= cap);
            if !fits {
                buckets.push(Bucket {
                    params: Vec::new(),
                    numels: Vec::new(),
                    kind: p.kind(),
                });
                bytes = 0;
            }
            let bucket = buckets.last_mut().expect("just pushed");
            bucket.params.push(i);
            bucket.numels.push(numel as i64);
            bytes += size;
        }
        self.buckets = buckets;
    }

    /// The wrapped model.
    pub fn module(&self) -> &M {
        &self.module
    }

    /// The wrapped model, mutably (for the optimizer).
    pub fn module_mut(&mut self) -> &mut M {
        &mut self.module
    }

    /// Unwraps the model.
    pub fn into_inner(self) -> M {
        self.module
    }

    /// The process group.
    pub fn group(&self) -> &ProcessGroup<Dev> {
        &self.group
    }

    /// How many all-reduces one synchronisation takes, and the parameters in each (by
    /// `state_dict` name), in the order they run.
    pub fn buckets(&self) -> Vec<Vec<String>> {
        let mut names = Vec::new();
        self.module.for_each_param(|name, t| {
            if t.requires_grad() {
                names.push(name.to_string());
            }
        });
        self.buckets
            .iter()
            .map(|b| b.params.iter().map(|&i| names[i].clone()).collect())
            .collect()
    }

    /// Runs the model on this rank's shard, first copying rank 0's buffers when
    /// [`DdpOptions::broadcast_buffers`] is set and the model has any.
    pub fn forward<X>(&mut self, input: X) -> Result<M::Output>
    where
        M: Module<X>,
    {
        if self.options.broadcast_buffers && self.has_buffers {
            self.broadcast_buffers()?;
        }
        Ok(self.module.forward(input))
    }

    /// Backpropagates `loss` and, outside [`no_sync`](Self::no_sync), averages every gradient
    /// over the ranks.
    pub fn backward<E: Element>(&mut self, loss: &Tensor<(), E, Dev>) -> Result<()> {
        loss.as_tch().backward();
        self.sync_gradients()
    }

    /// Averages every trainable parameter's gradient over the ranks, bucket by bucket (a
    /// parameter without a gradient counts as zeros and receives the average). Inside
    /// [`no_sync`](Self::no_sync) this does nothing.
    pub fn sync_gradients(&mut self) -> Result<()> {
        if self.no_sync_depth > 0 {
            return Ok(());
        }
        let params = self.trainable_params();
        if params.len() != self.trainable {
            return Err(DistError::Mismatch {
                what: "trainable parameters since DistributedDataParallel was made".into(),
                expected: self.trainable.to_string(),
                found: params.len().to_string(),
            });
        }
        let world = self.group.world_size() as f64;
        tch::no_grad(|| {
            for bucket in &self.buckets {
                let pieces: Vec<tch::Tensor> = bucket
                    .params
                    .iter()
                    .zip(&bucket.numels)
                    .map(|(&i, &n)| {
                        let g = params[i].grad();
                        if g.defined() {
                            g.reshape([-1])
                        } else {
                            tch::Tensor::zeros([n], (bucket.kind, params[i].device()))
                        }
                    })
                    .collect();
                let mut flat = tch::Tensor::cat(&pieces, 0);
                self.group
                    .all_reduce_raw(&[&flat], ReduceOp::Sum, "gradient all_reduce")?;
                let _ = flat.g_div_scalar_(world);
                let mut offset = 0;
                for (&i, &n) in bucket.params.iter().zip(&bucket.numels) {
                    let averaged = flat.narrow(0, offset, n).view_as(&params[i]);
                    let mut g = params[i].grad();
                    if g.defined() {
                        g.copy_(&averaged);
                    } else {
                        let owned = averaged.copy();
                        // SAFETY: both are live tensors; the parameter keeps its own handle.
                        unsafe {
                            ffi::tt_c10d_set_grad(ffi::handle(&params[i]), ffi::handle(&owned))
                        };
                    }
                    offset += n;
                }
            }
            Ok(())
        })
    }

    /// Runs `f` with gradient averaging off: backward passes inside only accumulate this rank's
    /// gradients (PyTorch's `with ddp.no_sync():`). The first synchronised
    /// [`backward`](Self::backward) after it averages the accumulated gradients.
    ///
    /// ```no_run
    /// # use typed_torch::prelude::*;
    /// # use typed_torch::nn::Linear;
    /// # use typed_torch::{loss, Tensor, D};
    /// # use typed_torch_distributed::{DistributedDataParallel, ProcessGroup};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let group = ProcessGroup::from_env()?;
    /// # let mut ddp = DistributedDataParallel::new(&group, Linear::<4, 1>::init()?)?;
    /// # let micro = vec![(Tensor::<(D<8>, D<4>)>::randn(), Tensor::<(D<8>, D<1>)>::randn()); 4];
    /// let (last, first) = micro.split_last().unwrap();
    /// ddp.no_sync(|ddp| -> typed_torch_distributed::Result<()> {
    ///     for (x, y) in first {
    ///         let loss = loss::mse(&ddp.forward(x.clone())?, y, loss::Mean);
    ///         ddp.backward(&loss)?; // local accumulation only
    ///     }
    ///     Ok(())
    /// })?;
    /// let loss = loss::mse(&ddp.forward(last.0.clone())?, &last.1, loss::Mean);
    /// ddp.backward(&loss)?; // averages the sum of all four micro-batches' gradients
    /// # Ok(()) }
    /// ```
    pub fn no_sync<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        self.no_sync_depth += 1;
        // Syncing is back on even if `f` panics and the panic is caught further up.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(self)));
        self.no_sync_depth -= 1;
        result.unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }
}

/// Errors on every rank unless all ranks hold models with the same parameter names and shapes.
fn check_same_model<M: Params, Dev: Device>(group: &ProcessGroup<Dev>, module: &M) -> Result<()> {
    let mut hasher = DefaultHasher::new();
    let (mut count, mut numel) = (0i64, 0i64);
    module.for_each_tensor(|name, t| {
        name.hash(&mut hasher);
        t.size().hash(&mut hasher);
        format!("{:?}", t.kind()).hash(&mut hasher);
        count += 1;
        numel += t.numel() as i64;
    });
    // The hash as two non-negative halves: an exact comparison survives any dtype path.
    let hash = hasher.finish();
    let mine = [
        count,
        numel,
        (hash >> 32) as i64,
        (hash & 0xffff_ffff) as i64,
    ];
    let local = tch::Tensor::from_slice(&mine).to_device(Dev::tch());
    let everyone = group.all_gather(&Tensor::<(typed_torch::D<4>,), i64, Dev>::from_tch(local)?)?;
    let rows: Vec<i64> = everyone.to_vec();
    for (rank, row) in rows.chunks(4).enumerate() {
        if row != mine {
            return Err(DistError::Mismatch {
                what: format!(
                    "rank {rank}'s model differs from rank {}'s (tensors, elements)",
                    group.rank()
                ),
                expected: format!(
                    "{} tensors, {} elements, same names and shapes",
                    mine[0], mine[1]
                ),
                found: format!(
                    "{} tensors, {} elements{}",
                    row[0],
                    row[1],
                    if row[..2] == mine[..2] {
                        ", other names or shapes"
                    } else {
                        ""
                    }
                ),
            });
        }
    }
    Ok(())
}
