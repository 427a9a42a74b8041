//! Distributed data parallelism: every rank trains a replica of the model on its own shard of
//! each batch; gradients are averaged across ranks before the optimizer steps, so every replica
//! takes the same step, the one a single process would take on the whole batch.
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::ops::Range;

use typed_torch::nn::{Module, Params};
use typed_torch::optim::FlatLayout;
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

/// The gradients of every trainable parameter of one dtype, kept from step to step and laid out
/// as the optimizers lay out parameters ([`FlatLayout`]): a bucket is a slice of it, all-reduced
/// in place, and each parameter's gradient is a view of its range afterwards.
struct GradBuffer {
    flat: tch::Tensor,
    kind: tch::Kind,
    /// Per entry of the layout: the parameter's index among the trainable ones (`state_dict`
    /// order) and its element range in `flat`.
    entries: Vec<(usize, Range<usize>)>,
}

/// One all-reduce: a contiguous range of one [`GradBuffer`] (alignment gaps included, they stay
/// zero) and the layout entries it covers, last parameter first.
#[derive(Clone, Debug)]
struct Bucket {
    buffer: usize,
    range: Range<usize>,
    entries: Vec<usize>,
}

/// A model trained by several processes at once, PyTorch's `DistributedDataParallel`.
///
/// * At construction every parameter and buffer is copied from rank 0, so all replicas start
///   equal; ranks whose models differ (names, shapes) get a [`DistError::Mismatch`].
/// * [`backward`](Self::backward) runs the backward pass, then averages the gradients over the
///   ranks in buckets of at most [`DdpOptions::bucket_cap_mb`], filled in reverse parameter order
///   (PyTorch's order: the last layers' gradients are ready first). The gradients live in one
///   flat buffer per dtype, kept from step to step and laid out as the optimizers lay out
///   parameters ([`FlatLayout`]): each bucket is one slice of it, all-reduced in place, and
///   afterwards each parameter's gradient is a view of its slice (PyTorch's
///   `gradient_as_bucket_view=True`), so averaging costs one copy into the buffer and no copy
///   back. A gradient kept from an earlier step is therefore overwritten by the next one: clone
///   it to keep it.
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
    buffers: Vec<GradBuffer>,
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
            buffers: Vec::new(),
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

    /// Lays the gradients out flat, one buffer per dtype in the optimizers' layout, and cuts
    /// the buffers into buckets walking the parameters backwards (PyTorch's order: the last
    /// layers' gradients are ready first). A bucket closes when the next parameter would take it
    /// past the cap or has another dtype.
    fn plan_buckets(&mut self) {
        let mut names = Vec::new();
        self.module.for_each_param(|name, t| {
            if t.requires_grad() {
                names.push(name.to_string());
            }
        });
        let params = self.trainable_params();
        self.trainable = params.len();
        let mut kinds: Vec<tch::Kind> = Vec::new();
        for p in &params {
            if !kinds.contains(&p.kind()) {
                kinds.push(p.kind());
            }
        }
        // Where each trainable parameter lives: (buffer, entry in that buffer).
        let mut place = vec![(0, 0); params.len()];
        self.buffers = kinds
            .iter()
            .enumerate()
            .map(|(b, &kind)| {
                let members: Vec<usize> = (0..params.len())
                    .filter(|&i| params[i].kind() == kind)
                    .collect();
                let layout = FlatLayout::new(
                    members
                        .iter()
                        .map(|&i| (names[i].clone(), params[i].numel())),
                );
                for (e, &i) in members.iter().enumerate() {
                    place[i] = (b, e);
                }
                GradBuffer {
                    flat: tch::Tensor::zeros([layout.len() as i64], (kind, params[0].device())),
                    kind,
                    entries: members
                        .iter()
                        .zip(layout.ranges())
                        .map(|(&i, (_, r))| (i, r.clone()))
                        .collect(),
                }
            })
            .collect();
        let cap = (self.options.bucket_cap_mb * 1024.0 * 1024.0) as usize;
        let mut buckets: Vec<Bucket> = Vec::new();
        let mut bytes = 0usize;
        for (i, p) in params.iter().enumerate().rev() {
            let (b, e) = place[i];
            let range = self.buffers[b].entries[e].1.clone();
            let size = range.len() * p.kind().elt_size_in_bytes();
            // Walking backwards, the previous parameter of the same dtype is the next entry down
            // in the same buffer, so an open bucket of this buffer stays contiguous.
            let fits = buckets
                .last()
                .is_some_and(|k| k.buffer == b && bytes + size <= cap);
            if !fits {
                buckets.push(Bucket {
                    buffer: b,
                    range: range.clone(),
                    entries: Vec::new(),
                });
                bytes = 0;
            }
            let bucket = buckets.last_mut().expect("just pushed");
            bucket.entries.push(e);
            bucket.range.start = range.start;
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
            .map(|b| {
                let entries = &self.buffers[b.buffer].entries;
                b.entries
                    .iter()
                    .map(|&e| names[entries[e].0].clone())
                    .collect()
            })
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
        if let Some((p, buffer)) = self.buffers.iter().find_map(|b| {
            b.entries
                .iter()
                .find(|(i, _)| params[*i].kind() != b.kind)
                .map(|(i, _)| (&params[*i], b))
        }) {
            return Err(DistError::Mismatch {
                what: "a trainable parameter's dtype since DistributedDataParallel was made".into(),
                expected: format!("{:?}", buffer.kind),
                found: format!("{:?}", p.kind()),
            });
        }
        let world = self.group.world_size() as f64;
        tch::no_grad(|| {
            for bucket in &self.buckets {
                let buffer = &self.buffers[bucket.buffer];
                let views: Vec<(&tch::Tensor, tch::Tensor, i64)> = bucket
                    .entries
                    .iter()
                    .map(|&e| {
                        let (i, r) = &buffer.entries[e];
                        let view = buffer
                            .flat
                            .narrow(0, r.start as i64, r.len() as i64)
                            .view(&params[*i].size()[..]);
                        (&params[*i], view, r.start as i64)
                    })
                    .collect();
                for (p, view, _) in &views {
                    let g = p.grad();
                    if !g.defined() {
                        // A parameter the loss did not reach on this rank counts as zeros.
                        let _ = view.shallow_clone().zero_();
                    } else if g.data_ptr() != view.data_ptr() {
                        view.shallow_clone().copy_(&g);
                    } // else: autograd accumulated into the view itself (no `zero_grad`).
                }
                let mut slice =
                    buffer
                        .flat
                        .narrow(0, bucket.range.start as i64, bucket.range.len() as i64);
                self.group
                    .all_reduce_raw(&[&slice], ReduceOp::Sum, "gradient all_reduce")?;
                let _ = slice.g_div_scalar_(world);
                for (p, view, offset) in &views {
                    let g = p.grad();
                    if !g.defined() || g.data_ptr() != view.data_ptr() {
                        let alias = alias_of(&buffer.flat, *offset, &p.size())?;
                        // SAFETY: both are live tensors; the parameter keeps its own handle.
                        unsafe { ffi::tt_c10d_set_grad(ffi::handle(p), ffi::handle(&alias)) };
                    }
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

/// A tensor of `size` over `flat`'s memory from element `offset` on, sharing it without being
/// an autograd view of it: optimizers' `zero_grad` detaches a gradient in place before dropping
/// it, which libtorch refuses for views.
fn alias_of(flat: &tch::Tensor, offset: i64, size: &[i64]) -> Result<tch::Tensor> {
    let mut stride = vec![1i64; size.len()];
    for d in (0..size.len().saturating_sub(1)).rev() {
        stride[d] = stride[d + 1] * size[d + 1].max(1);
    }
    let mut alias = tch::Tensor::empty([0], (flat.kind(), flat.device()));
    // The call returns another handle to `alias` itself.
    let _same = alias
        .f_set_source_tensor_storage_offset_(flat, offset, size, &stride[..])
        .map_err(typed_torch::Error::from)?;
    Ok(alias)
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
