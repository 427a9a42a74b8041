//! Batch transforms: `Normalize` per channel, `RandomCrop` with zero padding and
//! `RandomHorizontalFlip` for `(N, C, H, W)` images, composed as tuples. Each acts on a whole batch
//! with a few tensor ops; random choices are drawn per sample from the seeded [`DataRng`] a
//! [`DataLoader`](super::DataLoader) passes in, so a seed fixes the result.
use crate::device::Device;
use crate::dims::{Dim, D};
use crate::element::{Element, Float};
use crate::error::{Error, Result};
use crate::shape::{DimAt, Shape};
use crate::tensor::Tensor;
use rand::Rng;

/// The random generator transforms draw from: ChaCha with 8 rounds, seeded by the loader (see
/// [`DataLoader`](super::DataLoader) for how seeds and epochs map to streams).
pub type DataRng = rand_chacha::ChaCha8Rng;

/// A transformation of a batch `X` (e.g. a `Tensor<(Dyn, C, H, W)>` of images), random or not.
///
/// Tuples of up to four transforms are transforms that apply them left to right:
/// `(Normalize::new([0.5], [0.5])?, RandomHorizontalFlip::new(0.5)?)`.
///
/// Implementations must take all their randomness from `rng`, so that a loader's seed reproduces
/// them; `Send + Sync` lets a prefetching loader run them on its thread.
///
/// ```
/// use typed_torch::data::{DataRng, Rng, SeedableRng, Transform};
/// use typed_torch::{Result, Shape, Tensor};
///
/// /// Scales a whole batch by one factor drawn from `[lo, hi)`.
/// struct RandomScale { lo: f32, hi: f32 }
///
/// impl<S: Shape> Transform<Tensor<S>> for RandomScale {
///     fn apply(&self, batch: Tensor<S>, rng: &mut DataRng) -> Result<Tensor<S>> {
///         Ok(batch * rng.gen_range(self.lo..self.hi))
///     }
/// }
///
/// let x = Tensor::<(typed_torch::D<2>,)>::ones();
/// let y = RandomScale { lo: 2.0, hi: 3.0 }.apply(x, &mut DataRng::seed_from_u64(1)).unwrap();
/// assert!(y.to_vec().iter().all(|v| (2.0..3.0).contains(v)));
/// ```
pub trait Transform<X>: Send + Sync {
    /// Transforms one batch.
    fn apply(&self, batch: X, rng: &mut DataRng) -> Result<X>;
}

macro_rules! tuple_transform {
    ($($t:ident $v:ident),*) => {
        impl<X, $($t: Transform<X>),*> Transform<X> for ($($t,)*) {
            fn apply(&self, batch: X, rng: &mut DataRng) -> Result<X> {
                let ($($v,)*) = self;
                $(let batch = $v.apply(batch, rng)?;)*
                Ok(batch)
            }
        }
    };
}
tuple_transform!(A a);
tuple_transform!(A a, B b);
tuple_transform!(A a, B b, C c);
tuple_transform!(A a, B b, C c, E e);

/// `(x - mean[c]) / std[c]` for each channel `c` of axis 1, like torchvision's `Normalize`; the
/// channel count `C` is checked against the tensor's type.
///
/// ```
/// use typed_torch::data::{DataRng, Normalize, SeedableRng, Transform};
/// use typed_torch::{Tensor, Dyn, D};
/// let x = Tensor::<(Dyn, D<2>, D<1>, D<1>)>::from_slice_dyn(&[1.0, 3.0], &[1]).unwrap();
/// let norm = Normalize::new([0.0, 1.0], [2.0, 4.0]).unwrap();
/// let y = norm.apply(x, &mut DataRng::seed_from_u64(0)).unwrap();
/// assert_eq!(y.to_vec(), vec![0.5, 0.5]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Normalize<const C: usize> {
    mean: [f64; C],
    std: [f64; C],
}

impl<const C: usize> Normalize<C> {
    /// Per-channel means and standard deviations; an error unless every mean is finite and every
    /// std finite and positive.
    pub fn new(mean: [f64; C], std: [f64; C]) -> Result<Self> {
        if let Some(m) = mean.iter().find(|m| !m.is_finite()) {
            return Err(Error::Invalid(format!("Normalize: mean {m} is not finite")));
        }
        if let Some(s) = std.iter().find(|s| !(s.is_finite() && **s > 0.0)) {
            return Err(Error::Invalid(format!(
                "Normalize: std {s} is not a finite positive number"
            )));
        }
        Ok(Normalize { mean, std })
    }

    /// The per-channel means.
    pub fn mean(&self) -> &[f64; C] {
        &self.mean
    }

    /// The per-channel standard deviations.
    pub fn std(&self) -> &[f64; C] {
        &self.std
    }
}

impl<S, E, Dev, const C: usize> Transform<Tensor<S, E, Dev>> for Normalize<C>
where
    S: Shape + DimAt<1, Output = D<C>>,
    E: Float,
    Dev: Device,
{
    fn apply(&self, batch: Tensor<S, E, Dev>, _rng: &mut DataRng) -> Result<Tensor<S, E, Dev>> {
        // (1, C, 1, ...) so the statistics broadcast over the batch and any trailing axes.
        let mut view = vec![1i64; S::RANK];
        view[1] = C as i64;
        let stat = |v: &[f64; C]| -> Result<tch::Tensor> {
            Ok(tch::Tensor::from_slice(v)
                .f_to_kind(E::DTYPE)?
                .f_to_device(Dev::tch())?
                .f_view(view.as_slice())?)
        };
        let x = batch.as_tch().f_sub(&stat(&self.mean)?)?;
        Ok(Tensor::wrap(x.f_div(&stat(&self.std)?)?))
    }
}

/// Mirrors each image of an `(N, C, H, W)` batch left to right (along `W`) with probability `p`,
/// drawn independently per image.
///
/// ```
/// use typed_torch::data::{DataRng, RandomHorizontalFlip, SeedableRng, Transform};
/// use typed_torch::{Tensor, Dyn, D};
/// let x = Tensor::<(Dyn, D<1>, D<1>, D<3>)>::from_slice_dyn(&[1., 2., 3.], &[1]).unwrap();
/// let always = RandomHorizontalFlip::new(1.0).unwrap();
/// let y = always.apply(x, &mut DataRng::seed_from_u64(0)).unwrap();
/// assert_eq!(y.to_vec(), vec![3., 2., 1.]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RandomHorizontalFlip {
    p: f64,
}

impl RandomHorizontalFlip {
    /// Flips with probability `p`; an error unless `0 <= p <= 1`.
    pub fn new(p: f64) -> Result<Self> {
        if (0.0..=1.0).contains(&p) {
            Ok(RandomHorizontalFlip { p })
        } else {
            Err(Error::Invalid(format!(
                "RandomHorizontalFlip: probability {p} is not in [0, 1]"
            )))
        }
    }

    /// The flip probability.
    pub fn p(&self) -> f64 {
        self.p
    }
}

impl<N, C, H, W, E, Dev> Transform<Tensor<(N, C, H, W), E, Dev>> for RandomHorizontalFlip
where
    N: Dim,
    C: Dim,
    H: Dim,
    W: Dim,
    E: Element,
    Dev: Device,
{
    fn apply(
        &self,
        batch: Tensor<(N, C, H, W), E, Dev>,
        rng: &mut DataRng,
    ) -> Result<Tensor<(N, C, H, W), E, Dev>> {
        let n = batch.size()[0];
        let flip: Vec<bool> = (0..n).map(|_| rng.gen_bool(self.p)).collect();
        if !flip.contains(&true) {
            return Ok(batch);
        }
        let x = batch.as_tch();
        let mask = tch::Tensor::from_slice(&flip)
            .f_to_device(Dev::tch())?
            .f_view([n as i64, 1, 1, 1])?;
        Ok(Tensor::wrap(x.f_flip([3])?.f_where_self(&mask, x)?))
    }
}

/// Pads each `(N, C, H, W)` image with `padding` zeros on every side, then crops an `H`x`W`
/// window at an offset drawn uniformly per image: shifts of up to `padding` pixels in each
/// direction, as torchvision's `RandomCrop(size, padding)` with `size` the input size.
///
/// ```
/// use typed_torch::data::{DataRng, RandomCrop, SeedableRng, Transform};
/// use typed_torch::{Tensor, Dyn, D};
/// let x = Tensor::<(Dyn, D<1>, D<4>, D<4>)>::ones_dyn(&[8]).unwrap();
/// let y = RandomCrop::new(2).apply(x, &mut DataRng::seed_from_u64(0)).unwrap();
/// assert_eq!(y.size(), vec![8, 1, 4, 4]); // same size; some ones shifted out, zeros in
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RandomCrop {
    padding: usize,
}

impl RandomCrop {
    /// Crops with `padding` pixels of zero padding on each side (0 leaves images unchanged).
    pub fn new(padding: usize) -> Self {
        RandomCrop { padding }
    }

    /// The padding on each side.
    pub fn padding(&self) -> usize {
        self.padding
    }
}

impl<N, C, H, W, E, Dev> Transform<Tensor<(N, C, H, W), E, Dev>> for RandomCrop
where
    N: Dim,
    C: Dim,
    H: Dim,
    W: Dim,
    E: Element,
    Dev: Device,
{
    fn apply(
        &self,
        batch: Tensor<(N, C, H, W), E, Dev>,
        rng: &mut DataRng,
    ) -> Result<Tensor<(N, C, H, W), E, Dev>> {
        if self.padding == 0 {
            return Ok(batch);
        }
        let size = batch.as_tch().size();
        let (n, c, h, w) = (size[0], size[1], size[2], size[3]);
        let p = self.padding as i64;
        // Window origins in the padded image, 0..=2p per axis: origin p is the unshifted image.
        let (mut rows, mut cols) = (
            Vec::with_capacity(n as usize),
            Vec::with_capacity(n as usize),
        );
        for _ in 0..n {
            rows.push(rng.gen_range(0..=2 * p));
            cols.push(rng.gen_range(0..=2 * p));
        }
        let dev = Dev::tch();
        let opts = (tch::Kind::Int64, dev);
        // rows[b, i] = origin_b + i, and the same for columns: the crop is two gathers over the
        // padded batch (rows, then columns), whatever the batch size.
        let offsets = |origins: &[i64], len: i64| -> Result<tch::Tensor> {
            let o = tch::Tensor::from_slice(origins)
                .f_to_device(dev)?
                .f_view([n, 1])?;
            Ok(o.f_add(&tch::Tensor::f_arange(len, opts)?.f_view([1, len])?)?)
        };
        let rows = offsets(&rows, h)?
            .f_view([n, 1, h, 1])?
            .f_expand([n, c, h, w + 2 * p], false)?;
        let cols = offsets(&cols, w)?
            .f_view([n, 1, 1, w])?
            .f_expand([n, c, h, w], false)?;
        let padded = batch.as_tch().f_constant_pad_nd([p, p, p, p])?;
        let out = padded
            .f_gather(2, &rows, false)?
            .f_gather(3, &cols, false)?;
        Ok(Tensor::wrap(out))
    }
}
