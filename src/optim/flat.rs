//! One flat buffer for all of a model's trainable parameters.
//!
//! libtorch's multi-tensor (`_foreach_*`) and fused optimizer kernels are not in `tch`'s API, so
//! instead of one small op per parameter and per term, every parameter is re-pointed into a slice
//! of one contiguous tensor (optimizer state is laid out the same way): an optimizer step is then
//! one pass over the whole model. Parameters keep their identity (same tensor, same
//! `requires_grad` leaf), only their storage moves, exactly like assigning `param.data` in
//! PyTorch.
//!
//! Gradients stay where autograd puts them. `zero_grad` sets them to none, as PyTorch does by
//! default, so the next backward pass hands over freshly computed gradients instead of adding
//! them into zeroed memory: a flat gradient buffer would cost a memset and an extra read of every
//! gradient per step, which on a small model is a third of the step.
use std::cell::OnceCell;
use std::ops::Range;

use crate::error::{Error, Result};
use crate::nn::Params;

/// Selects parameters by name for their own learning rate or weight decay (PyTorch's parameter
/// groups), or freezes them.
///
/// ```
/// use typed_torch::optim::ParamGroup;
/// let head = ParamGroup::prefix("classifier").lr(1e-2);
/// let no_decay = ParamGroup::matching(|name| name.ends_with(".bias")).weight_decay(0.0);
/// let frozen = ParamGroup::prefix("features.0").frozen();
/// # let _ = (head, no_decay, frozen);
/// ```
pub struct ParamGroup {
    select: Box<dyn Fn(&str) -> bool>,
    lr: Option<f64>,
    weight_decay: Option<f64>,
    frozen: bool,
}

impl ParamGroup {
    /// Parameters whose `state_dict` name satisfies `select`.
    pub fn matching(select: impl Fn(&str) -> bool + 'static) -> Self {
        ParamGroup {
            select: Box::new(select),
            lr: None,
            weight_decay: None,
            frozen: false,
        }
    }

    /// Parameters of the sub-module `prefix` (`"classifier"` matches `classifier.0.weight`, not
    /// `classifier_head.weight`).
    pub fn prefix(prefix: &str) -> Self {
        let prefix = prefix.to_string();
        Self::matching(move |name| {
            name.strip_prefix(prefix.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        })
    }

    /// This group's learning rate (else the optimizer's).
    pub fn lr(mut self, lr: f64) -> Self {
        self.lr = Some(lr);
        self
    }

    /// This group's weight decay (else the optimizer's).
    pub fn weight_decay(mut self, weight_decay: f64) -> Self {
        self.weight_decay = Some(weight_decay);
        self
    }

    /// Not trained: these parameters stop requiring gradients and the optimizer leaves them out.
    pub fn frozen(mut self) -> Self {
        self.frozen = true;
        self
    }
}

impl std::fmt::Debug for ParamGroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParamGroup")
            .field("lr", &self.lr)
            .field("weight_decay", &self.weight_decay)
            .field("frozen", &self.frozen)
            .finish_non_exhaustive()
    }
}

/// The settings a group resolved to, and where its parameters lie in the flat buffers.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSettings {
    /// Learning rate.
    pub lr: f64,
    /// Weight decay.
    pub weight_decay: f64,
    /// The group's momentum (SGD's and RMSprop's `momentum`, Adam's `beta1`) when a schedule has
    /// set one ([`OneCycleLR`](super::OneCycleLR) cycles it); `None`: the optimizer's configured
    /// value.
    pub momentum: Option<f64>,
    /// Element range in the flat buffers.
    pub range: Range<usize>,
}

/// Where one parameter lives in the flat buffers.
#[derive(Debug, Clone)]
struct Slot {
    name: String,
    offset: usize,
    numel: usize,
    /// Address of the parameter's first element, to notice a model converted or replaced after
    /// the optimizer was made (its tensors would no longer be the ones the optimizer updates).
    data_ptr: usize,
}

/// Every trainable parameter of a model as a view into one flat tensor, grouped by
/// [`ParamGroup`].
///
/// Built by each optimizer's constructor; exposed for inspection (parameter ranges, groups, and
/// [`gather_grads`](Self::gather_grads) for every gradient in one tensor).
#[derive(Debug)]
pub struct FlatParams {
    params: tch::Tensor,
    /// The trained parameters themselves (the model's tensors, not copies), in slot order: where
    /// a step reads the gradients.
    tensors: Vec<tch::Tensor>,
    /// libtorch's optimizer base class holding the same tensors, used only for its `zero_grad`:
    /// the one way through `tch` to set a gradient back to none.
    releaser: tch::COptimizer,
    slots: Vec<Slot>,
    /// Slot indices in order of offset (groups one after another): the order the fused kernels
    /// walk gradients in, fixed once here rather than sorted every step.
    by_offset: Vec<usize>,
    groups: Vec<GroupSettings>,
}

/// Offsets are rounded up to this many elements (64 bytes in f32), so every parameter starts on
/// a cache line and vectorised loops over a group stay aligned. Gaps are zeros and stay zeros
/// under every update rule here (zero gradient, zero parameter, zero state).
const ALIGN: usize = 16;

/// Elements a parameter of `numel` elements takes in the flat buffers, its gap included.
fn padded(numel: usize) -> usize {
    numel.div_ceil(ALIGN) * ALIGN
}

/// Where an optimizer without [`ParamGroup`]s places each trainable parameter in its flat
/// buffers: `state_dict` order, each parameter starting on a 64-byte boundary (in f32), gaps
/// zero. Other code that lays gradients out flat (distributed data parallelism's buckets) uses it
/// so that its buffers line up with the optimizers' element for element.
///
/// ```
/// use typed_torch::nn::Linear;
/// use typed_torch::optim::{FlatLayout, Optimizer, Sgd, SgdConfig};
/// use typed_torch::prelude::*;
/// let mut model = Linear::<3, 2>::init()?;
/// let layout = FlatLayout::of(&model);
/// assert_eq!(layout.ranges(), &[("weight".to_string(), 0..6), ("bias".to_string(), 16..18)]);
/// assert_eq!(layout.len(), 32);
/// let opt = Sgd::new(&mut model, SgdConfig::default())?;
/// assert_eq!(opt.flat().range_of("bias"), Some(16..18));
/// # Ok::<(), typed_torch::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlatLayout {
    ranges: Vec<(String, Range<usize>)>,
    len: usize,
}

impl FlatLayout {
    /// The layout of `model`'s trainable parameters (those requiring gradients).
    pub fn of<M: Params>(model: &M) -> Self {
        let mut entries = Vec::new();
        model.for_each_param(|name, t| {
            if t.requires_grad() {
                entries.push((name.to_string(), t.numel()));
            }
        });
        Self::new(entries)
    }

    /// The layout of `(name, element count)` entries, in the order given.
    pub fn new(entries: impl IntoIterator<Item = (String, usize)>) -> Self {
        let mut len = 0;
        let ranges = entries
            .into_iter()
            .map(|(name, numel)| {
                let range = len..len + numel;
                len += padded(numel);
                (name, range)
            })
            .collect();
        FlatLayout { ranges, len }
    }

    /// Each parameter's name and element range, in order.
    pub fn ranges(&self) -> &[(String, Range<usize>)] {
        &self.ranges
    }

    /// Elements in the whole buffer, gaps included.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no elements at all.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl FlatParams {
    /// Moves `model`'s trainable parameters into flat buffers. Parameters are assigned to the
    /// first group in `groups` that selects them, else to group 0 with `lr` and `weight_decay`;
    /// frozen ones stop requiring gradients.
    pub(crate) fn new<M: Params>(
        model: &mut M,
        lr: f64,
        weight_decay: f64,
        groups: Vec<ParamGroup>,
    ) -> Result<Self> {
        // Which group each trainable parameter joins, in state_dict order.
        let mut members: Vec<(String, usize, tch::Tensor)> = Vec::new();
        let mut kind_device: Option<(tch::Kind, tch::Device, String)> = None;
        let mut problem: Option<Error> = None;
        model.for_each_param_mut(|name, t| {
            let group = groups.iter().position(|g| (g.select)(name));
            if group.is_some_and(|g| groups[g].frozen) {
                *t = t.detach().set_requires_grad(false);
                return;
            }
            if !t.requires_grad() {
                return;
            }
            match &kind_device {
                None => kind_device = Some((t.kind(), t.device(), name.to_string())),
                Some((kind, device, first)) if (*kind, *device) != (t.kind(), t.device()) => {
                    problem.get_or_insert(Error::Invalid(format!(
                        "optimizer: parameter `{name}` is {:?} on {:?}, but `{first}` is {kind:?} \
                         on {device:?}; one optimizer needs one dtype and device",
                        t.kind(),
                        t.device()
                    )));
                }
                Some(_) => {}
            }
            members.push((
                name.to_string(),
                group.map_or(0, |g| g + 1),
                t.shallow_clone(),
            ));
        });
        if let Some(e) = problem {
            return Err(e);
        }
        let Some((kind, device, _)) = kind_device else {
            return Err(Error::Invalid(
                "optimizer: the model has no trainable parameters (none requires gradients)".into(),
            ));
        };
        if !matches!(
            kind,
            tch::Kind::Float | tch::Kind::Double | tch::Kind::Half | tch::Kind::BFloat16
        ) {
            return Err(Error::Invalid(format!(
                "optimizer: parameters must be floating point, found {kind:?}"
            )));
        }

        // Lay groups out one after another so each is one contiguous range.
        let mut order: Vec<usize> = (0..members.len()).collect();
        order.sort_by_key(|&i| members[i].1); // stable: state_dict order within a group
        let mut settings: Vec<GroupSettings> = std::iter::once((lr, weight_decay))
            .chain(
                groups
                    .iter()
                    .map(|g| (g.lr.unwrap_or(lr), g.weight_decay.unwrap_or(weight_decay))),
            )
            .map(|(lr, weight_decay)| GroupSettings {
                lr,
                weight_decay,
                momentum: None,
                range: 0..0,
            })
            .collect();
        let mut offset = 0usize;
        let mut placed: Vec<(usize, usize)> = vec![(0, 0); members.len()];
        for (g, group) in settings.iter_mut().enumerate() {
            let start = offset;
            for &i in order.iter().filter(|&&i| members[i].1 == g) {
                let numel = members[i].2.numel();
                placed[i] = (offset, numel);
                offset += padded(numel);
            }
            group.range = start..offset;
        }
        let total = offset as i64;
        let params = tch::Tensor::zeros([total], (kind, device));

        // Any optimizer class works: only its parameter list and `zero_grad` are used.
        let mut releaser = tch::COptimizer::sgd(0.0, 0.0, 0.0, 0.0, false)?;
        let mut slots = Vec::with_capacity(members.len());
        let mut tensors = Vec::with_capacity(members.len());
        tch::no_grad(|| -> Result<()> {
            for (i, (name, _, mut t)) in members.into_iter().enumerate() {
                let (offset, numel) = placed[i];
                let mut p_view = params
                    .narrow(0, offset as i64, numel as i64)
                    .view(&t.size()[..]);
                p_view.f_copy_(&t)?;
                t.set_data(&p_view);
                releaser.add_parameters(&t, 0)?;
                slots.push(Slot {
                    name,
                    offset,
                    numel,
                    data_ptr: t.data_ptr() as usize,
                });
                tensors.push(t);
            }
            Ok(())
        })?;
        // Slots follow state_dict order (what `check` walks), whatever the group layout.
        let mut by_offset: Vec<usize> = (0..slots.len()).collect();
        by_offset.sort_by_key(|&i| slots[i].offset);
        Ok(FlatParams {
            params,
            tensors,
            releaser,
            slots,
            by_offset,
            groups: settings,
        })
    }

    /// Checks that `model`'s trainable parameters are still the ones in these buffers, then
    /// collects their gradients for a step.
    pub(crate) fn step_grads<M: Params>(&self, model: &mut M) -> Result<StepGrads<'_>> {
        self.check(model)?;
        let grads = self
            .tensors
            .iter()
            .map(|t| {
                let g = t.grad();
                // A parameter the loss did not reach takes a zero gradient (PyTorch would skip
                // it; here every parameter shares one step count).
                if g.defined() {
                    g
                } else {
                    t.zeros_like()
                }
            })
            .collect();
        Ok(StepGrads {
            flat: self,
            grads,
            gathered: OnceCell::new(),
        })
    }

    pub(crate) fn check<M: Params>(&self, model: &mut M) -> Result<()> {
        let mut index = 0;
        let mut problem: Option<Error> = None;
        model.for_each_param_mut(|name, t| {
            if problem.is_some() || !t.requires_grad() {
                return;
            }
            let Some(slot) = self.slots.get(index) else {
                problem = Some(Error::Invalid(format!(
                    "optimizer: parameter `{name}` is not one the optimizer was made with"
                )));
                return;
            };
            index += 1;
            if slot.name != name || slot.data_ptr != t.data_ptr() as usize {
                problem = Some(Error::Invalid(format!(
                    "optimizer: parameter `{name}` no longer lives in the optimizer's buffer \
                     (expected `{}` there); was the model converted or replaced after the \
                     optimizer was made? Make the optimizer after `to_device`/`to_kind`",
                    slot.name
                )));
            }
        });
        if let Some(e) = problem {
            return Err(e);
        }
        if index != self.slots.len() {
            return Err(Error::Invalid(format!(
                "optimizer: the model has {index} trainable parameters, the optimizer was made \
                 with {}",
                self.slots.len()
            )));
        }
        Ok(())
    }

    /// All trainable parameters, one after another (with alignment gaps of zeros).
    pub fn params(&self) -> &tch::Tensor {
        &self.params
    }

    /// A copy of every gradient, laid out like [`params`](Self::params): zeros for parameters
    /// without a gradient and in the alignment gaps.
    pub fn gather_grads(&self) -> tch::Tensor {
        let grads: Vec<tch::Tensor> = self.tensors.iter().map(|t| t.grad()).collect();
        self.gather(&grads)
    }

    /// `grads` (one per slot; undefined ones are skipped) copied into one zeroed flat tensor.
    fn gather(&self, grads: &[tch::Tensor]) -> tch::Tensor {
        tch::no_grad(|| {
            let flat = self.params.zeros_like();
            for (slot, g) in self.slots.iter().zip(grads) {
                if g.defined() {
                    flat.narrow(0, slot.offset as i64, slot.numel as i64)
                        .copy_(&g.reshape([-1]));
                }
            }
            flat
        })
    }

    /// The defined gradients, sharing storage with the parameters' gradients.
    fn defined_grads(&self) -> Vec<tch::Tensor> {
        self.tensors
            .iter()
            .map(|t| t.grad())
            .filter(|g| g.defined())
            .collect()
    }

    /// The groups: group 0 is the default, group `i + 1` is the `i`-th [`ParamGroup`] given.
    pub fn groups(&self) -> &[GroupSettings] {
        &self.groups
    }

    pub(crate) fn groups_mut(&mut self) -> &mut [GroupSettings] {
        &mut self.groups
    }

    /// Names of the trained parameters, in `state_dict` order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.slots.iter().map(|s| s.name.as_str())
    }

    /// Where parameter `name` lies in the flat buffers (element range).
    pub fn range_of(&self, name: &str) -> Option<Range<usize>> {
        self.slots
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.offset..s.offset + s.numel)
    }

    /// `buffer` (laid out like [`params`](Self::params), e.g. an optimizer's moment estimates)
    /// seen as a model of `model`'s type: each trained parameter becomes a view of its slice of
    /// `buffer`; parameters the optimizer does not train (frozen) become zeros. This is the typed
    /// view of optimizer state: `adam.flat().shaped_like(&model, adam.exp_avg())` has type `M`.
    pub fn shaped_like<M: crate::nn::ParamMap>(&self, model: &M, buffer: &tch::Tensor) -> M {
        model.map_params(|name, t| match self.range_of(name) {
            Some(r) => buffer
                .narrow(0, r.start as i64, (r.end - r.start) as i64)
                .view(&t.size()[..]),
            None => t.zeros_like(),
        })
    }

    /// Sets every gradient to none, like PyTorch's `zero_grad()` (`set_to_none=True`): the next
    /// backward pass then stores fresh gradients rather than adding into zeroed memory.
    pub fn zero_grad(&mut self) {
        if self.releaser.zero_grad().is_err() {
            // Never seen; zeroing in place has the same effect on the next step.
            for t in &mut self.tensors {
                t.zero_grad();
            }
        }
    }

    /// A zero tensor laid out like the parameters (optimizer state).
    pub(crate) fn zeros_like(&self) -> tch::Tensor {
        self.params.zeros_like()
    }

    /// Scales the gradients so their total norm is at most `max_norm`, exactly like
    /// `torch.nn.utils.clip_grad_norm_` (see [`clip_grad_norm`](super::clip_grad_norm)); returns
    /// the norm before clipping. `norm_type` may be `f64::INFINITY`.
    pub fn clip_grad_norm(&mut self, max_norm: f64, norm_type: f64) -> f64 {
        super::clip::clip_norm(self.defined_grads(), max_norm, norm_type)
    }

    /// Clamps every gradient element into `[-clip_value, clip_value]`.
    pub fn clip_grad_value(&mut self, clip_value: f64) {
        super::clip::clip_value_of(self.defined_grads(), clip_value);
    }

    /// The views of one group's element range in `buffers`.
    pub(crate) fn group_views(&self, group: usize, buffers: &[&tch::Tensor]) -> Vec<tch::Tensor> {
        let r = &self.groups[group].range;
        buffers
            .iter()
            .map(|b| b.narrow(0, r.start as i64, (r.end - r.start) as i64))
            .collect()
    }
}

/// The gradients one step uses: one per parameter (zeros where the loss did not reach it).
pub(crate) struct StepGrads<'a> {
    flat: &'a FlatParams,
    grads: Vec<tch::Tensor>,
    gathered: OnceCell<tch::Tensor>,
}

impl StepGrads<'_> {
    /// The gradients of `group`'s parameters with their offsets inside the group's range and
    /// their parameters' element counts, in order of offset (what the fused kernels walk).
    pub(crate) fn parts(&self, group: usize) -> Vec<crate::runtime::GradPart<'_>> {
        let range = &self.flat.groups[group].range;
        self.flat
            .by_offset
            .iter()
            .map(|&i| (&self.flat.slots[i], &self.grads[i]))
            .filter(|(slot, _)| slot.numel > 0 && range.contains(&slot.offset))
            .map(|(slot, g)| (slot.offset - range.start, slot.numel, g))
            .collect()
    }

    /// All gradients copied into one tensor laid out like the parameters (made once per step,
    /// and only when a step takes the tensor-op path).
    pub(crate) fn flat(&self) -> &tch::Tensor {
        self.gathered.get_or_init(|| self.flat.gather(&self.grads))
    }
}
