//! Normalisation layers: `BatchNorm1d`, `BatchNorm2d` (running statistics, momentum, train/eval),
//! `LayerNorm` over the last dim, and `GroupNorm` (groups must divide channels, checked at compile
//! time).
use super::init::trainable;
use super::module::module_via_layer_input;
use super::{params::join, LayerInput, Params, ToDevice, ToKind};
use crate::device::{Cpu, Device};
use crate::dims::{Dim, DimDiv, D};
use crate::element::Float;
use crate::tensor::Tensor;

/// Declares a batch-norm layer (`BatchNorm1d`, `BatchNorm2d`): one struct each, so that errors
/// and summaries name the layer the user wrote. Parameters `weight`, `bias` and buffers
/// `running_mean`, `running_var`, `num_batches_tracked`, as in PyTorch.
macro_rules! batch_norm_layer {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// In training mode (the default, as in PyTorch) `forward` normalises by the batch
        /// statistics and updates the running ones in place (`forward` takes `&self`; the buffers
        /// are shared tensors); after [`Params::set_train`]`(false)` it normalises by the running
        /// statistics.
        ///
        /// # Panics
        ///
        /// In training mode, on an input with exactly one value per channel, like `torch.nn`
        /// (libtorch alone would set the running variance to NaN).
        #[derive(Debug, Clone)]
        pub struct $name<const C: usize, E: Float = f32, Dev: Device = Cpu> {
            /// Scale, ones at start.
            pub weight: Tensor<(D<C>,), E, Dev>,
            /// Shift, zeros at start.
            pub bias: Tensor<(D<C>,), E, Dev>,
            /// Running mean (a buffer).
            pub running_mean: Tensor<(D<C>,), E, Dev>,
            /// Running unbiased variance (a buffer).
            pub running_var: Tensor<(D<C>,), E, Dev>,
            /// Training steps seen (a buffer).
            pub num_batches_tracked: Tensor<(), i64, Dev>,
            /// Weight of the newest batch in the running statistics (PyTorch's default 0.1).
            pub momentum: f64,
            /// Added to the variance (PyTorch's default 1e-5).
            pub eps: f64,
            /// Training mode: normalise by batch statistics and update the running ones.
            pub train: bool,
        }

        impl<const C: usize, E: Float> $name<C, E, Cpu> {
            /// PyTorch's initial state, in training mode.
            pub fn new() -> Self {
                $name {
                    weight: trainable(Tensor::ones),
                    bias: trainable(Tensor::zeros),
                    running_mean: Tensor::zeros(),
                    running_var: Tensor::ones(),
                    num_batches_tracked: Tensor::scalar(0),
                    momentum: 0.1,
                    eps: 1e-5,
                    train: true,
                }
            }
        }

        impl<const C: usize, E: Float> Default for $name<C, E, Cpu> {
            fn default() -> Self {
                Self::new()
            }
        }

        impl<const C: usize, E: Float, Dev: Device> $name<C, E, Dev> {
            #[track_caller]
            fn apply(&self, x: &tch::Tensor) -> tch::Tensor {
                batch_norm(
                    x,
                    [&self.weight, &self.bias, &self.running_mean, &self.running_var],
                    &self.num_batches_tracked,
                    self.train,
                    self.momentum,
                    self.eps,
                )
            }
        }

        impl<const C: usize, E: Float, Dev: Device> Params for $name<C, E, Dev> {
            fn visit(&self, prefix: &str, f: &mut dyn FnMut(&str, &tch::Tensor)) {
                f(&join(prefix, "weight"), self.weight.as_tch());
                f(&join(prefix, "bias"), self.bias.as_tch());
            }
            fn visit_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut tch::Tensor)) {
                f(&join(prefix, "weight"), self.weight.as_tch_mut());
                f(&join(prefix, "bias"), self.bias.as_tch_mut());
            }
            fn set_train(&mut self, train: bool) {
                self.train = train;
            }
            fn visit_buffers(&self, prefix: &str, f: &mut dyn FnMut(&str, &tch::Tensor)) {
                f(&join(prefix, "running_mean"), self.running_mean.as_tch());
                f(&join(prefix, "running_var"), self.running_var.as_tch());
                f(&join(prefix, "num_batches_tracked"), self.num_batches_tracked.as_tch());
            }
            fn visit_buffers_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut tch::Tensor)) {
                f(&join(prefix, "running_mean"), self.running_mean.as_tch_mut());
                f(&join(prefix, "running_var"), self.running_var.as_tch_mut());
                f(&join(prefix, "num_batches_tracked"), self.num_batches_tracked.as_tch_mut());
            }
        }

        /// `weight` and `bias`; the running statistics are buffers, not parameters.
        impl<const C: usize, E: Float, Dev: Device> super::StaticParamCount for $name<C, E, Dev> {
            const PARAM_COUNT: usize = 2 * C;
        }

        impl<const C: usize, E: Float, Dev: Device> ToDevice for $name<C, E, Dev> {
            type On<D2: Device> = $name<C, E, D2>;
            fn to_device<D2: Device>(&self) -> crate::Result<Self::On<D2>> {
                Ok($name {
                    weight: ToDevice::to_device(&self.weight)?,
                    bias: ToDevice::to_device(&self.bias)?,
                    running_mean: ToDevice::to_device(&self.running_mean)?,
                    running_var: ToDevice::to_device(&self.running_var)?,
                    num_batches_tracked: ToDevice::to_device(&self.num_batches_tracked)?,
                    momentum: self.momentum,
                    eps: self.eps,
                    train: self.train,
                })
            }
        }

        impl<const C: usize, E: Float, Dev: Device> ToKind for $name<C, E, Dev> {
            type As<E2: Float> = $name<C, E2, Dev>;
            fn to_kind<E2: Float>(&self) -> Self::As<E2> {
                $name {
                    weight: ToKind::to_kind(&self.weight),
                    bias: ToKind::to_kind(&self.bias),
                    running_mean: ToKind::to_kind(&self.running_mean),
                    running_var: ToKind::to_kind(&self.running_var),
                    // Shared like the other tensors when the kind stays (libtorch's `to` then
                    // aliases), an independent copy otherwise, so training the converted layer
                    // counts its own steps.
                    num_batches_tracked: if E2::DTYPE == E::DTYPE {
                        self.num_batches_tracked.share()
                    } else {
                        self.num_batches_tracked.deep_clone()
                    },
                    momentum: self.momentum,
                    eps: self.eps,
                    train: self.train,
                }
            }
        }

        module_via_layer_input!([const C: usize, E: Float, Dev: Device] $name<C, E, Dev>);
    };
}

batch_norm_layer!(
    /// `torch.nn.BatchNorm1d(C)`: takes `(N, D<C>)` or `(N, D<C>, L)`.
    ///
    /// ```
    /// use typed_torch::nn::{BatchNorm1d, Module};
    /// use typed_torch::{Tensor, D};
    /// let bn = BatchNorm1d::<3>::new();
    /// let y: Tensor<(D<4>, D<3>)> = bn.forward(Tensor::<(D<4>, D<3>)>::randn());
    /// ```
    BatchNorm1d
);

batch_norm_layer!(
    /// `torch.nn.BatchNorm2d(C)`: takes `(N, D<C>, H, W)`.
    ///
    /// ```
    /// use typed_torch::nn::{BatchNorm2d, Module, Params};
    /// use typed_torch::{Tensor, D};
    /// let mut bn = BatchNorm2d::<3>::new();
    /// let x = Tensor::<(D<4>, D<3>, D<5>, D<5>)>::randn();
    /// let _ = bn.forward(x.clone()); // training: batch statistics, running ones updated
    /// assert_eq!(bn.num_batches_tracked.item(), 1);
    /// bn.set_train(false);
    /// let y = bn.forward(x); // evaluation: running statistics
    /// assert_eq!(y.size(), vec![4, 3, 5, 5]);
    /// ```
    BatchNorm2d
);

/// The batch-norm forward pass both layers share: `[weight, bias, running_mean, running_var]`.
#[track_caller]
fn batch_norm<const C: usize, E: Float, Dev: Device>(
    x: &tch::Tensor,
    [weight, bias, mean, var]: [&Tensor<(D<C>,), E, Dev>; 4],
    steps: &Tensor<(), i64, Dev>,
    train: bool,
    momentum: f64,
    eps: f64,
) -> tch::Tensor {
    if train {
        // As torch.nn does: libtorch itself would turn the running variance into NaN.
        let size = x.size();
        let per_channel: i64 = size[0] * size[2..].iter().product::<i64>();
        assert!(
            per_channel != 1,
            "Expected more than 1 value per channel when training, got input size {size:?}"
        );
        // libtorch updates the running statistics in place; the step counter is ours.
        let mut steps = steps.as_tch().shallow_clone();
        let _ = crate::no_grad(|| steps.g_add_scalar_(1));
    }
    x.batch_norm(
        Some(weight.as_tch()),
        Some(bias.as_tch()),
        Some(mean.as_tch()),
        Some(var.as_tch()),
        train,
        momentum,
        eps,
        false,
    )
}

impl<N: Dim, const C: usize, E: Float, Dev: Device> LayerInput<BatchNorm1d<C, E, Dev>>
    for Tensor<(N, D<C>), E, Dev>
{
    type Output = Self;
    fn run(layer: &BatchNorm1d<C, E, Dev>, x: Self) -> Self {
        Tensor::wrap(layer.apply(x.as_tch()))
    }
}

impl<N: Dim, L: Dim, const C: usize, E: Float, Dev: Device> LayerInput<BatchNorm1d<C, E, Dev>>
    for Tensor<(N, D<C>, L), E, Dev>
{
    type Output = Self;
    fn run(layer: &BatchNorm1d<C, E, Dev>, x: Self) -> Self {
        Tensor::wrap(layer.apply(x.as_tch()))
    }
}

impl<N: Dim, H: Dim, W: Dim, const C: usize, E: Float, Dev: Device>
    LayerInput<BatchNorm2d<C, E, Dev>> for Tensor<(N, D<C>, H, W), E, Dev>
{
    type Output = Self;
    fn run(layer: &BatchNorm2d<C, E, Dev>, x: Self) -> Self {
        Tensor::wrap(layer.apply(x.as_tch()))
    }
}

/// `torch.nn.LayerNorm(F)`: normalises over the last dim, which must be `D<F>`.
///
/// ```
/// use typed_torch::nn::{LayerNorm, Module};
/// use typed_torch::{Tensor, D};
/// let y = LayerNorm::<8>::new().forward(Tensor::<(D<2>, D<5>, D<8>)>::randn());
/// assert_eq!(y.size(), vec![2, 5, 8]);
/// ```
#[derive(Debug, Clone)]
pub struct LayerNorm<const F: usize, E: Float = f32, Dev: Device = Cpu> {
    /// Scale, ones at start.
    pub weight: Tensor<(D<F>,), E, Dev>,
    /// Shift, zeros at start.
    pub bias: Tensor<(D<F>,), E, Dev>,
    /// Added to the variance (PyTorch's default 1e-5).
    pub eps: f64,
}

impl<const F: usize, E: Float> LayerNorm<F, E, Cpu> {
    /// PyTorch's initial state.
    pub fn new() -> Self {
        LayerNorm {
            weight: trainable(Tensor::ones),
            bias: trainable(Tensor::zeros),
            eps: 1e-5,
        }
    }
}

impl<const F: usize, E: Float> Default for LayerNorm<F, E, Cpu> {
    fn default() -> Self {
        Self::new()
    }
}

macro_rules! layer_norm_rank {
    ($($a:ident),*) => {
        impl<$($a: Dim,)* const F: usize, E: Float, Dev: Device> LayerInput<LayerNorm<F, E, Dev>> for Tensor<($($a,)* D<F>,), E, Dev> {
            type Output = Self;
            fn run(layer: &LayerNorm<F, E, Dev>, x: Self) -> Self {
                Tensor::wrap(x.as_tch().layer_norm([F as i64], Some(layer.weight.as_tch()), Some(layer.bias.as_tch()), layer.eps, false))
            }
        }
    };
}
layer_norm_rank!(A);
layer_norm_rank!(A, B);
layer_norm_rank!(A, B, C);
module_via_layer_input!([const F: usize, E: Float, Dev: Device] LayerNorm<F, E, Dev>);

/// `torch.nn.GroupNorm(G, C)`: `G` groups over `C` channels; `G` must divide `C` (compile time).
///
/// ```
/// use typed_torch::nn::{GroupNorm, Module};
/// use typed_torch::{Tensor, D};
/// let y = GroupNorm::<3, 6>::new().forward(Tensor::<(D<2>, D<6>, D<4>, D<4>)>::randn());
/// assert_eq!(y.size(), vec![2, 6, 4, 4]);
/// ```
#[derive(Debug, Clone)]
pub struct GroupNorm<const G: usize, const C: usize, E: Float = f32, Dev: Device = Cpu>
where
    D<C>: DimDiv<D<G>>,
{
    /// Scale per channel, ones at start.
    pub weight: Tensor<(D<C>,), E, Dev>,
    /// Shift per channel, zeros at start.
    pub bias: Tensor<(D<C>,), E, Dev>,
    /// Added to the variance (PyTorch's default 1e-5).
    pub eps: f64,
}

impl<const G: usize, const C: usize, E: Float> GroupNorm<G, C, E, Cpu>
where
    D<C>: DimDiv<D<G>>,
{
    /// PyTorch's initial state.
    pub fn new() -> Self {
        GroupNorm {
            weight: trainable(Tensor::ones),
            bias: trainable(Tensor::zeros),
            eps: 1e-5,
        }
    }
}

impl<const G: usize, const C: usize, E: Float> Default for GroupNorm<G, C, E, Cpu>
where
    D<C>: DimDiv<D<G>>,
{
    fn default() -> Self {
        Self::new()
    }
}

macro_rules! group_norm_rank {
    ($($a:ident),*) => {
        impl<N: Dim, $($a: Dim,)* const G: usize, const C: usize, E: Float, Dev: Device> LayerInput<GroupNorm<G, C, E, Dev>>
            for Tensor<(N, D<C>, $($a,)*), E, Dev>
        where
            D<C>: DimDiv<D<G>>,
        {
            type Output = Self;
            fn run(layer: &GroupNorm<G, C, E, Dev>, x: Self) -> Self {
                Tensor::wrap(x.as_tch().group_norm(G as i64, Some(layer.weight.as_tch()), Some(layer.bias.as_tch()), layer.eps, false))
            }
        }
    };
}
group_norm_rank!(L);
group_norm_rank!(H, W);
module_via_layer_input!([const G: usize, const C: usize, E: Float, Dev: Device] GroupNorm<G, C, E, Dev> where D<C>: DimDiv<D<G>>);

macro_rules! affine_params {
    ($name:ident<$($c:ident),*>; $count:expr $(; where $($bound:tt)*)?) => {
        impl<$(const $c: usize,)* E: Float, Dev: Device> Params for $name<$($c,)* E, Dev> $(where $($bound)*)? {
            fn visit(&self, prefix: &str, f: &mut dyn FnMut(&str, &tch::Tensor)) {
                f(&join(prefix, "weight"), self.weight.as_tch());
                f(&join(prefix, "bias"), self.bias.as_tch());
            }
            fn visit_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut tch::Tensor)) {
                f(&join(prefix, "weight"), self.weight.as_tch_mut());
                f(&join(prefix, "bias"), self.bias.as_tch_mut());
            }
        }
        impl<$(const $c: usize,)* E: Float, Dev: Device> super::StaticParamCount for $name<$($c,)* E, Dev> $(where $($bound)*)? {
            /// `weight` and `bias`, one value each per normalised feature.
            const PARAM_COUNT: usize = 2 * $count;
        }
        impl<$(const $c: usize,)* E: Float, Dev: Device> ToDevice for $name<$($c,)* E, Dev> $(where $($bound)*)? {
            type On<D2: Device> = $name<$($c,)* E, D2>;
            fn to_device<D2: Device>(&self) -> crate::Result<Self::On<D2>> {
                Ok($name { weight: ToDevice::to_device(&self.weight)?, bias: ToDevice::to_device(&self.bias)?, eps: self.eps })
            }
        }
        impl<$(const $c: usize,)* E: Float, Dev: Device> ToKind for $name<$($c,)* E, Dev> $(where $($bound)*)? {
            type As<E2: Float> = $name<$($c,)* E2, Dev>;
            fn to_kind<E2: Float>(&self) -> Self::As<E2> {
                $name { weight: ToKind::to_kind(&self.weight), bias: ToKind::to_kind(&self.bias), eps: self.eps }
            }
        }
    };
}
affine_params!(LayerNorm<F>; F);
affine_params!(GroupNorm<G, C>; C; where D<C>: DimDiv<D<G>>);
