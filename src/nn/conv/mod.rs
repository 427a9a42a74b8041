//! Convolution layers: `Conv1d`, `Conv2d`, `ConvTranspose2d`, with PyTorch's parameter names,
//! shapes and default initialisation. Options (`Stride`, `Padding`, `Dilation`, `Groups`,
//! `OutputPadding`, `NoBias`) are named in the type; output sizes are computed at compile time by
//! the functional ops.
mod convolution;
mod transpose;

pub use convolution::{Conv1d, Conv2d};
pub use transpose::ConvTranspose2d;

use crate::dims::{DimDiv, D};

/// `C / G` channels per group, computed at compile time.
type PerGroup<const C: usize, G> = <D<C> as DimDiv<G>>::Output;
