//! `BatchNorm1d` and `BatchNorm2d`: one struct each, so that errors and summaries name the layer
//! the user wrote, sharing one forward pass.
use crate::device::{Cpu, Device};
use crate::dims::{Dim, D};
use crate::element::Float;
use crate::error::Result;
use crate::nn::module::module_via_layer_input;
use crate::nn::{init, Init, LayerInput, Optional};
use crate::options::NormOptions;
use crate::tensor::Tensor;

/// Declares a batch-norm layer: parameters `weight`, `bias` (unless `NoAffine`) and buffers
/// `running_mean`, `running_var`, `num_batches_tracked`, as in PyTorch.
macro_rules! batch_norm_layer {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// In training mode (the default, as in PyTorch) `forward` normalises by the batch
        /// statistics and updates the running ones in place (`forward` takes `&self`; the buffers
        /// are shared tensors); after [`Params::set_train`](crate::nn::Params::set_train)`(false)`
        /// it normalises by the running statistics.
        ///
        /// # Panics
        ///
        /// In training mode, on an input with exactly one value per channel, like `torch.nn`
        /// (libtorch alone would set the running variance to NaN).
        #[derive(Debug, Clone, crate::nn::Module)]
        #[module(manual_init)]
        pub struct $name<const C: usize, Opts: NormOptions = (), E: Float = f32, Dev: Device = Cpu> {
            /// Scale, ones at start (absent under `NoAffine`).
            pub weight: Optional<Opts::Affine, Tensor<(D<C>,), E, Dev>>,
            /// Shift, zeros at start (absent under `NoAffine`).
            pub bias: Optional<Opts::Affine, Tensor<(D<C>,), E, Dev>>,
            /// Running mean.
            #[module(buffer)]
            pub running_mean: Tensor<(D<C>,), E, Dev>,
            /// Running unbiased variance.
            #[module(buffer)]
            pub running_var: Tensor<(D<C>,), E, Dev>,
            /// Training steps seen.
            #[module(buffer)]
            pub num_batches_tracked: Tensor<(), i64, Dev>,
            /// Weight of the newest batch in the running statistics (PyTorch's default 0.1).
            #[module(skip)]
            pub momentum: f64,
            /// Added to the variance (PyTorch's default 1e-5).
            #[module(skip)]
            pub eps: f64,
            /// Training mode: normalise by batch statistics and update the running ones.
            #[module(train)]
            pub train: bool,
        }

        /// PyTorch's initial state, in training mode.
        impl<const C: usize, Opts: NormOptions, E: Float, Dev: Device> Init for $name<C, Opts, E, Dev> {
            fn init() -> Result<Self> {
                Ok($name {
                    weight: Optional::make(init::ones)?,
                    bias: Optional::make(init::zeros)?,
                    running_mean: init::buffer_zeros()?,
                    running_var: init::filled(1.0)?,
                    num_batches_tracked: init::step_counter()?,
                    momentum: 0.1,
                    eps: 1e-5,
                    train: true,
                })
            }
        }

        impl<const C: usize, Opts: NormOptions, E: Float, Dev: Device> $name<C, Opts, E, Dev> {
            /// Sets `momentum` (PyTorch's argument of that name).
            pub fn momentum(mut self, momentum: f64) -> Self {
                self.momentum = momentum;
                self
            }

            /// Sets `eps` (PyTorch's argument of that name).
            pub fn eps(mut self, eps: f64) -> Self {
                self.eps = eps;
                self
            }

            #[track_caller]
            fn apply(&self, x: &tch::Tensor) -> tch::Tensor {
                batch_norm(
                    x,
                    [self.weight.get(), self.bias.get()],
                    [&self.running_mean, &self.running_var],
                    &self.num_batches_tracked,
                    self.train,
                    self.momentum,
                    self.eps,
                )
            }
        }

        module_via_layer_input!([const C: usize, Opts: NormOptions, E: Float, Dev: Device] $name<C, Opts, E, Dev>);
    };
}

batch_norm_layer!(
    /// `torch.nn.BatchNorm1d(C)`: takes `(N, D<C>)` or `(N, D<C>, L)`.
    ///
    /// ```
    /// use typed_torch::prelude::*;
    /// use typed_torch::nn::{BatchNorm1d, Init, Module};
    /// use typed_torch::{Tensor, D};
    /// let bn = BatchNorm1d::<3>::init().unwrap().momentum(0.01);
    /// let y: Tensor<(D<4>, D<3>)> = bn.forward(Tensor::<(D<4>, D<3>)>::randn());
    /// ```
    BatchNorm1d
);

batch_norm_layer!(
    /// `torch.nn.BatchNorm2d(C)`: takes `(N, D<C>, H, W)`.
    ///
    /// ```
    /// use typed_torch::prelude::*;
    /// use typed_torch::nn::{BatchNorm2d, Init, Module, Params};
    /// use typed_torch::{Tensor, D};
    /// let mut bn = BatchNorm2d::<3>::init().unwrap();
    /// let x = Tensor::<(D<4>, D<3>, D<5>, D<5>)>::randn();
    /// let _ = bn.forward(x.clone()); // training: batch statistics, running ones updated
    /// assert_eq!(bn.num_batches_tracked.item(), 1);
    /// bn.set_train(false);
    /// let y = bn.forward(x); // evaluation: running statistics
    /// assert_eq!(y.size(), vec![4, 3, 5, 5]);
    /// ```
    BatchNorm2d
);

/// The batch-norm forward pass both layers share.
#[track_caller]
fn batch_norm<const C: usize, E: Float, Dev: Device>(
    x: &tch::Tensor,
    [weight, bias]: [Option<&Tensor<(D<C>,), E, Dev>>; 2],
    [mean, var]: [&Tensor<(D<C>,), E, Dev>; 2],
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
        weight.map(|w| w.as_tch()),
        bias.map(|b| b.as_tch()),
        Some(mean.as_tch()),
        Some(var.as_tch()),
        train,
        momentum,
        eps,
        false,
    )
}

impl<N: Dim, const C: usize, Opts: NormOptions, E: Float, Dev: Device>
    LayerInput<BatchNorm1d<C, Opts, E, Dev>> for Tensor<(N, D<C>), E, Dev>
{
    type Output = Self;
    fn run(layer: &BatchNorm1d<C, Opts, E, Dev>, x: Self) -> Self {
        Tensor::wrap(layer.apply(x.as_tch()))
    }
}

impl<N: Dim, L: Dim, const C: usize, Opts: NormOptions, E: Float, Dev: Device>
    LayerInput<BatchNorm1d<C, Opts, E, Dev>> for Tensor<(N, D<C>, L), E, Dev>
{
    type Output = Self;
    fn run(layer: &BatchNorm1d<C, Opts, E, Dev>, x: Self) -> Self {
        Tensor::wrap(layer.apply(x.as_tch()))
    }
}

impl<N: Dim, H: Dim, W: Dim, const C: usize, Opts: NormOptions, E: Float, Dev: Device>
    LayerInput<BatchNorm2d<C, Opts, E, Dev>> for Tensor<(N, D<C>, H, W), E, Dev>
{
    type Output = Self;
    fn run(layer: &BatchNorm2d<C, Opts, E, Dev>, x: Self) -> Self {
        Tensor::wrap(layer.apply(x.as_tch()))
    }
}
