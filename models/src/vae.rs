//! A variational autoencoder for 28x28 digits (Kingma and Welling): an MLP encoder to a diagonal
//! Gaussian over `Z` latents, an MLP decoder to a Bernoulli over the 784 pixels, trained by
//! maximising the evidence lower bound (ELBO).
use typed_torch::distributions::{
    kl_divergence, Bernoulli, Distribution, Independent, Normal, Rsample,
};
use typed_torch::nn::{Linear, Module, ReLU};
use typed_torch::{Cpu, Device, Dim, Float, HList, Tensor, D};

/// Pixels of a flattened digit.
pub const PIXELS: usize = 784;
/// Units of the encoder's and the decoder's hidden layers.
pub const HIDDEN: usize = 400;

/// `784 -> HIDDEN`, ReLU.
pub type Encoder<E, Dev> = HList![Linear<PIXELS, HIDDEN, (), E, Dev>, ReLU];
/// `Z -> HIDDEN`, ReLU, `HIDDEN -> 784` pixel logits.
pub type Decoder<const Z: usize, E, Dev> =
    HList![Linear<Z, HIDDEN, (), E, Dev>, ReLU, Linear<HIDDEN, PIXELS, (), E, Dev>];

/// The approximate posterior `q(z | x)`: a diagonal Gaussian over `Z` latents per image.
pub type Posterior<B, const Z: usize, E, Dev> = Independent<Normal<(B, D<Z>), E, Dev>, 1>;
/// The decoder's distribution `p(x | z)`: independent Bernoulli pixels, one density per image.
pub type Likelihood<B, E, Dev> = Independent<Bernoulli<(B, D<PIXELS>), E, Dev>, 1>;

/// The VAE with a latent of `Z` dims (in the type: a decoder of another width does not
/// compile). Parameter names match a `torch.nn.Module` with fields `encoder`
/// (`nn.Sequential(nn.Linear(784, 400), nn.ReLU())`), `mean` and `log_var` (`nn.Linear(400, Z)`)
/// and `decoder` (`nn.Sequential(nn.Linear(Z, 400), nn.ReLU(), nn.Linear(400, 784))`).
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch_models::vae::Vae;
/// let vae = Vae::<2>::init().unwrap();
/// let x = Tensor::<(Dyn, D<784>)>::rand_dyn(&[3]).unwrap();
/// let elbo: Tensor<(Dyn,)> = vae.elbo(&x); // nats per image, one draw of z
/// assert_eq!(elbo.size(), [3]);
/// let digits: Tensor<(D<5>, D<784>)> = vae.generate::<5>(); // from the prior
/// ```
#[derive(Debug, Clone, typed_torch::nn::Module)]
pub struct Vae<const Z: usize, E: Float = f32, Dev: Device = Cpu> {
    /// The shared trunk of `q(z | x)`.
    pub encoder: Encoder<E, Dev>,
    /// The posterior's means.
    pub mean: Linear<HIDDEN, Z, (), E, Dev>,
    /// The posterior's log-variances.
    pub log_var: Linear<HIDDEN, Z, (), E, Dev>,
    /// `p(x | z)`'s pixel logits.
    pub decoder: Decoder<Z, E, Dev>,
}

impl<const Z: usize, E: Float, Dev: Device> Vae<Z, E, Dev> {
    /// `q(z | x)` for flattened images `x` with intensities in [0, 1]; its scale is
    /// `exp(log_var / 2)`, positive by construction (so not validated).
    pub fn posterior<B: Dim>(&self, x: &Tensor<(B, D<PIXELS>), E, Dev>) -> Posterior<B, Z, E, Dev> {
        let h = self.encoder.forward(x.clone());
        let mean = self.mean.forward(h.clone());
        let scale = self.log_var.forward(h).mul_scalar(0.5).exp();
        Independent::new(Normal::new_unvalidated(mean, scale))
    }

    /// `p(x | z)`: the decoder's pixel logits as Bernoulli distributions.
    pub fn likelihood<B: Dim>(&self, z: Tensor<(B, D<Z>), E, Dev>) -> Likelihood<B, E, Dev> {
        Independent::new(Bernoulli::from_logits_unvalidated(self.decoder.forward(z)))
    }

    /// The ELBO of each image, `log p(x | z) - KL(q(z | x) || N(0, I))` with one reparameterised
    /// draw `z ~ q(z | x)`, in nats; training maximises its mean.
    pub fn elbo<B: Dim>(&self, x: &Tensor<(B, D<PIXELS>), E, Dev>) -> Tensor<(B,), E, Dev> {
        let q = self.posterior(x);
        let z = q.rsample();
        self.elbo_at(x, &q, z)
    }

    /// [`elbo`](Self::elbo) with the draw's standard normal noise given (`z = mean + scale *
    /// eps`): to share it with another framework, or to evaluate with `eps = 0`.
    pub fn elbo_with_noise<B: Dim>(
        &self,
        x: &Tensor<(B, D<PIXELS>), E, Dev>,
        eps: &Tensor<(B, D<Z>), E, Dev>,
    ) -> Tensor<(B,), E, Dev> {
        let q = self.posterior(x);
        let z = q.base().rsample_with(eps);
        self.elbo_at(x, &q, z)
    }

    fn elbo_at<B: Dim>(
        &self,
        x: &Tensor<(B, D<PIXELS>), E, Dev>,
        q: &Posterior<B, Z, E, Dev>,
        z: Tensor<(B, D<Z>), E, Dev>,
    ) -> Tensor<(B,), E, Dev> {
        let mean = q.base().loc();
        let prior = Independent::new(Normal::new_unvalidated(mean.zeros_like(), mean.ones_like()));
        self.likelihood(z).log_prob(x) - kl_divergence(q, &prior)
    }

    /// The reconstruction of `x`: pixel probabilities decoded from the posterior's mean.
    pub fn reconstruct<B: Dim>(
        &self,
        x: &Tensor<(B, D<PIXELS>), E, Dev>,
    ) -> Tensor<(B, D<PIXELS>), E, Dev> {
        self.decode(self.posterior(x).base().mean())
    }

    /// Pixel probabilities decoded from latents `z`.
    pub fn decode<B: Dim>(&self, z: Tensor<(B, D<Z>), E, Dev>) -> Tensor<(B, D<PIXELS>), E, Dev> {
        self.decoder.forward(z).sigmoid()
    }

    /// `N` new digits: latents drawn from the prior `N(0, I)`, decoded to pixel probabilities.
    pub fn generate<const N: usize>(&self) -> Tensor<(D<N>, D<PIXELS>), E, Dev> {
        let z = Normal::<(D<N>, D<Z>), E, Dev>::standard().sample();
        self.decode(z)
    }
}
