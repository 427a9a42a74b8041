//! What a classifier looks at: attributions of its score for a class to the pixels (or features)
//! of its input, after Captum.
//!
//! * [`saliency`]: the absolute gradient of the class score with respect to the input
//!   (Simonyan et al., 2014), Captum's `Saliency`.
//! * [`IntegratedGradients`]: the gradient averaged along the straight path from a baseline to
//!   the input, times their difference (Sundararajan et al., 2017), Captum's
//!   `IntegratedGradients`; its attributions add up to the change in score
//!   ([`Attribution::delta`] says how closely).
//! * [`grad_cam`]: the activations of a convolutional stage weighted by the spatial mean of
//!   their gradients, summed over channels (Selvaraju et al., 2017), Captum's `LayerGradCam`.
//!
//! A classifier is any function from a batch of inputs to `(B, D<K>)` scores, usually
//! `|x| model.forward(x)` with the model in evaluation mode. Targets are one class per sample.
//! Gradients are taken with respect to the input (or the stage) only: the model's parameters and
//! their `.grad` are untouched.
//!
//! With the `plot` feature, [`heatmap_overlay`] paints a map over its image as a PNG-ready `u8`
//! picture.
//!
//! ```
//! use typed_torch::interpret::saliency;
//! use typed_torch::nn::{Init, Linear, Module};
//! use typed_torch::{Tensor, D};
//!
//! let model = Linear::<4, 3>::init().unwrap();
//! let x = Tensor::<(D<2>, D<4>)>::randn();
//! let map = saliency(|x| model.forward(x), &x, &[0, 2]).unwrap();
//! // A linear model's gradient is its weight row, for every input.
//! let w = model.weight.as_tch().abs();
//! assert!(map.as_tch().get(1).allclose(&w.get(2), 1e-6, 1e-6, false));
//! ```
mod grad_cam;
mod integrated_gradients;
#[cfg(feature = "plot")]
mod overlay;
mod quadrature;
mod saliency;
mod scores;

pub use grad_cam::grad_cam;
pub use integrated_gradients::{Attribution, IntegratedGradients};
#[cfg(feature = "plot")]
pub use overlay::heatmap_overlay;
pub use quadrature::Quadrature;
pub use saliency::saliency;
