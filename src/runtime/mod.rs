//! The CPU runtime of the fused optimizer kernels, and the only home of `unsafe` in the crate
//! outside the calls into `tch`: libtorch's OpenMP team reached through `dlsym` ([`openmp`]), the
//! parallel split of flat buffers into slices handed to each thread ([`split`]), and the AVX2
//! dispatch of the vector loops ([`simd`]). Each `unsafe` block carries its `// SAFETY:`
//! argument; everything exported is safe to call. `crate::optim` keeps the optimizer math.
pub(crate) mod openmp;
pub(crate) mod simd;
pub(crate) mod split;

pub use openmp::set_openmp_team;
pub(crate) use simd::simd;
pub(crate) use split::{for_each_piece_mut, GradPart, Scalar};
