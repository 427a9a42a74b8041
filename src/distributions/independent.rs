//! `torch.distributions.Independent`: the last `N` batch axes become part of each draw.
use super::{Distribution, KlDivergence, Rsample};
use crate::shape::{DropLastAxes, Shape};
use crate::tensor::Tensor;

/// The distribution `D` with its last `N` batch axes reinterpreted as one event: a draw is the
/// same tensor, but its log-density and entropy are summed over those axes, so the batch shape
/// loses them. `Independent<Normal<(B, D<Z>)>, 1>` is a diagonal Gaussian over `Z`-vectors, one
/// per batch entry; `Independent<Bernoulli<(B, D<784>)>, 1>` a distribution over whole images.
///
/// ```
/// use typed_torch::distributions::{Bernoulli, Distribution, Independent};
/// use typed_torch::{Tensor, D};
/// let pixels = Independent::<_, 1>::new(Bernoulli::from_probs(Tensor::<(D<2>, D<4>), f64>::full(0.5))?);
/// let lp: Tensor<(D<2>,), f64> = pixels.log_prob(&Tensor::ones());
/// assert!((lp.to_vec()[0] - 4.0 * 0.5f64.ln()).abs() < 1e-12);
/// # Ok::<(), typed_torch::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Independent<Base, const N: usize> {
    base: Base,
}

impl<Base: Distribution, const N: usize> Independent<Base, N>
where
    Base::Batch: DropLastAxes<N>,
{
    /// `base` with its last `N` batch axes made event axes.
    pub fn new(base: Base) -> Self {
        Independent { base }
    }

    /// The underlying distribution.
    pub fn base(&self) -> &Base {
        &self.base
    }

    /// Sums `t` over its last `N` axes.
    fn summed(
        t: Tensor<Base::Batch, Base::E, Base::Dev>,
    ) -> Tensor<Out<Base, N>, Base::E, Base::Dev> {
        if N == 0 {
            return Tensor::wrap(t.into_tch());
        }
        let rank = <Base::Batch as Shape>::RANK as i64;
        let axes: Vec<i64> = (rank - N as i64..rank).collect();
        let t = t.into_tch();
        let kind = t.kind();
        Tensor::wrap(t.sum_dim_intlist(axes.as_slice(), false, kind))
    }
}

/// The batch shape left: the base's without its last `N` axes.
type Out<Base, const N: usize> = <<Base as Distribution>::Batch as DropLastAxes<N>>::Output;

impl<Base: Distribution, const N: usize> Distribution for Independent<Base, N>
where
    Base::Batch: DropLastAxes<N>,
{
    type Batch = Out<Base, N>;
    type E = Base::E;
    type Dev = Base::Dev;
    type Value = Base::Value;

    fn sample(&self) -> Self::Value {
        self.base.sample()
    }

    #[track_caller]
    fn log_prob(&self, value: &Self::Value) -> Tensor<Self::Batch, Self::E, Self::Dev> {
        Self::summed(self.base.log_prob(value))
    }

    fn entropy(&self) -> Tensor<Self::Batch, Self::E, Self::Dev> {
        Self::summed(self.base.entropy())
    }
}

impl<Base: Rsample, const N: usize> Rsample for Independent<Base, N>
where
    Base::Batch: DropLastAxes<N>,
{
    fn rsample(&self) -> Self::Value {
        self.base.rsample()
    }
}

/// The base divergence summed over the event axes.
impl<P, Q, const N: usize> KlDivergence<Independent<Q, N>> for Independent<P, N>
where
    P: KlDivergence<Q>,
    Q: Distribution,
    P::Batch: DropLastAxes<N>,
    Q::Batch: DropLastAxes<N>,
{
    #[track_caller]
    fn kl_divergence(&self, q: &Independent<Q, N>) -> Tensor<Self::Batch, Self::E, Self::Dev> {
        Self::summed(self.base.kl_divergence(&q.base))
    }
}
