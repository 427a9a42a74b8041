//! # Generative models: distributions and a VAE
//!
//! A generative model is a distribution you can draw from and score. typed-torch's
//! [`distributions`](crate::distributions) follow `torch.distributions` (the same parameters, the
//! same formulas, the same draws under the same seed) with one change: the batch shape is in the
//! type, so a log-density, an entropy or a KL divergence has a shape the compiler knows. This
//! chapter goes through them, then writes the evidence lower bound (ELBO) with them and trains a
//! variational autoencoder (VAE) of handwritten digits.
//!
//! ## Distributions: the batch shape in the type
//!
//! `Normal<S, E, Dev>` is one normal distribution per entry of the shape `S`: its draws are
//! `Tensor<S, E, Dev>`, and [`log_prob`](crate::distributions::Distribution::log_prob) and
//! [`entropy`](crate::distributions::Distribution::entropy) return one number per entry,
//! `Tensor<S, E, Dev>` again. The shape of the densities is the associated type
//! [`Distribution::Batch`](crate::distributions::Distribution::Batch), PyTorch's `batch_shape`:
//!
//! * [`Normal<S>`](crate::distributions::Normal) and [`Bernoulli<S>`](crate::distributions::Bernoulli):
//!   batch `S`, draws `Tensor<S, E>` (a Bernoulli draws floats 0 and 1, as in PyTorch);
//! * [`Categorical<S>`](crate::distributions::Categorical): the last axis of `S` is the
//!   categories, the batch is the other axes, draws are `i64` indices of the batch's shape
//!   (logits `(D<4>, D<3>)`: four draws among three categories, `Tensor<(D<4>,), i64>`);
//! * [`Independent<Base, N>`](crate::distributions::Independent): the base's last `N` batch axes
//!   become part of each draw. The draws are the same tensors, the densities are summed over
//!   those axes, and the batch loses them: `Independent<Normal<(B, D<Z>)>, 1>` is a diagonal
//!   Gaussian over `Z`-vectors, batch `(B,)`.
//!
//! A value of the wrong shape does not compile (there is no broadcasting of values against the
//! batch, as PyTorch does); `Dyn` sizes that differ are a panic at your line naming both.
//!
//! | PyTorch | typed-torch |
//! | --- | --- |
//! | `Normal(loc, scale)` | `Normal::new(loc, scale)?` |
//! | `Normal(loc, scale, validate_args=False)` | `Normal::new_unvalidated(loc, scale)` |
//! | `Normal(torch.zeros(s), torch.ones(s))` | `Normal::standard()` (a static shape) |
//! | `Bernoulli(logits=l)` | `Bernoulli::from_logits(l)?`, or `from_logits_unvalidated(l)` |
//! | `Bernoulli(probs=p)` | `Bernoulli::from_probs(p)?`, or `from_probs_unvalidated(p)` |
//! | `Categorical(logits=l)`, `Categorical(probs=p)` | `Categorical::from_logits(l)?`, `Categorical::from_probs(p)?` (and the `_unvalidated` forms); the last axis is the categories, draws are `i64` |
//! | `Independent(d, 1)` | `Independent::<_, 1>::new(d)` |
//! | `kl_divergence(p, q)` | `kl_divergence(&p, &q)` |
//! | `d.sample()`, `d.rsample()` | `d.sample()`, `d.rsample()` (traits `Distribution`, `Rsample`) |
//! | `d.log_prob(x)`, `d.entropy()` | the same, `Tensor<Batch, E, Dev>` |
//! | `d.batch_shape` | `<_ as Distribution>::Batch`, a type |
//! | `d.mean`, `d.variance`, `d.probs`, `d.logits` | `d.mean()`, `d.variance()`, `d.probs()`, `d.logits()` |
//!
//! [`kl_divergence`](crate::distributions::kl_divergence) is defined, in closed form, for the
//! pairs PyTorch registers and a VAE or a policy-gradient method needs: two normals, two
//! Bernoullis, two categoricals, and two `Independent`s of such a pair with the same `N` (the
//! base divergence summed over the event axes). Any other pair does not compile.
//!
//! A diagonal Gaussian over latents, as a VAE's encoder makes it, its log-density and its
//! divergence from the standard normal, checked against the closed form
//! `KL = 1/2 sum_j (s_j^2 + m_j^2 - 1 - ln s_j^2)`:
//!
//! ```
//! use typed_torch::distributions::{kl_divergence, Distribution, Independent, Normal};
//! use typed_torch::{Tensor, D};
//!
//! // A batch of 3, each a Gaussian over 4 latents with its own means and scales.
//! type Latents = Tensor<(D<3>, D<4>), f64>;
//! let mean = Latents::from_array([[0.0, 0.5, -1.0, 2.0], [0.1; 4], [0.0; 4]]);
//! let scale = Latents::from_array([[1.0, 0.5, 2.0, 0.1], [1.0; 4], [0.3; 4]]);
//! let per_coordinate = Normal::new(mean.clone(), scale.clone())?; // batch (3, 4)
//! let q = Independent::<_, 1>::new(per_coordinate); // batch (3,), events of 4
//!
//! let z: Latents = q.sample(); // a draw is still (3, 4)
//! let log_q: Tensor<(D<3>,), f64> = q.log_prob(&z); // one density per row
//! let by_coordinate: Latents = q.base().log_prob(&z); // the base's, one per entry
//! let summed = by_coordinate.sum::<1>().to_vec();
//! for (a, b) in log_q.to_vec().iter().zip(&summed) {
//!     assert!((a - b).abs() < 1e-12);
//! }
//! let entropy: Tensor<(D<3>,), f64> = q.entropy();
//! assert_eq!(entropy.size(), [3]);
//!
//! let prior = Independent::<_, 1>::new(Normal::<(D<3>, D<4>), f64>::standard());
//! let kl: Tensor<(D<3>,), f64> = kl_divergence(&q, &prior);
//! let (m, s) = (mean.to_vec(), scale.to_vec());
//! for (row, got) in kl.to_vec().iter().enumerate() {
//!     let expected: f64 = (4 * row..4 * row + 4)
//!         .map(|j| 0.5 * (s[j] * s[j] + m[j] * m[j] - 1.0 - (s[j] * s[j]).ln()))
//!         .sum();
//!     assert!((got - expected).abs() < 1e-12);
//! }
//! # Ok::<(), typed_torch::Error>(())
//! ```
//!
//! ## `sample`, `rsample` and noise of your own
//!
//! [`sample`](crate::distributions::Distribution::sample) draws outside autograd, as PyTorch's
//! does. [`rsample`](crate::distributions::Rsample::rsample) (the trait `Rsample`, which `Normal`
//! and an `Independent` of a `Normal` have) is the reparameterised draw `loc + scale * eps`, with
//! `eps` standard normal noise: a differentiable function of the parameters, so gradients of
//! anything computed from the draw reach `loc` and `scale`. The noise comes from libtorch's
//! generator as PyTorch draws it, so a seed gives PyTorch's numbers.
//! [`Normal::rsample_with`](crate::distributions::Normal::rsample_with) takes the noise as an
//! argument: to use the same noise as another framework (the VAE's test below does), to reuse
//! it, or to evaluate at the mean with `eps = 0`.
//!
//! ```
//! use typed_torch::distributions::{Distribution, Normal, Rsample};
//! use typed_torch::{Tensor, D};
//!
//! type V = Tensor<(D<3>,), f64>;
//! let loc = V::from_array([0.0, 1.0, -2.0]).requires_grad();
//! let log_scale = V::from_array([0.0, -1.0, 0.5]).requires_grad();
//! let n = Normal::new(loc.clone(), log_scale.exp())?;
//!
//! assert!(!n.sample().is_requires_grad()); // outside autograd
//! let z = n.rsample(); // loc + scale * eps
//! assert!(z.is_requires_grad());
//! z.sum_all().backward();
//! assert_eq!(loc.grad().unwrap().to_vec(), [1.0, 1.0, 1.0]); // dz/dloc = 1
//! // dz/dlog_scale = scale * eps = z - loc
//! let scaled_noise = (z.detach() - loc.detach()).to_vec();
//! for (g, e) in log_scale.grad().unwrap().to_vec().iter().zip(&scaled_noise) {
//!     assert!((g - e).abs() < 1e-12);
//! }
//!
//! // The same draw with noise of your own.
//! let eps = V::from_array([1.0, -1.0, 0.0]);
//! let drawn = n.rsample_with(&eps).detach().to_vec();
//! let e = std::f64::consts::E;
//! assert!((drawn[0] - 1.0).abs() < 1e-12 && (drawn[1] - (1.0 - 1.0 / e)).abs() < 1e-12);
//! assert_eq!(drawn[2], -2.0);
//! # Ok::<(), typed_torch::Error>(())
//! ```
//!
//! ## A policy: the log-probability's gradient
//!
//! A `Categorical` has no reparameterised draw (its draws are integers), so a policy-gradient
//! method differentiates the log-probability of the actions taken instead (REINFORCE: ascend
//! `E[R log pi(a | s)]`). Four states, three actions, the gradient reaching the logits checked
//! against `d log pi(a) / d logit_k = 1[k = a] - p_k`:
//!
//! ```
//! use typed_torch::distributions::{Categorical, Distribution};
//! use typed_torch::{Tensor, D};
//!
//! // A policy's scores for 4 states and 3 actions: the batch is (D<4>,).
//! let logits = Tensor::<(D<4>, D<3>), f64>::randn().requires_grad();
//! let policy = Categorical::from_logits(logits.clone())?;
//! let actions: Tensor<(D<4>,), i64> = policy.sample();
//! let returns = Tensor::<(D<4>,), f64>::from_array([1.0, -0.5, 2.0, 0.0]);
//!
//! let log_pi: Tensor<(D<4>,), f64> = policy.log_prob(&actions);
//! let loss = -(log_pi * &returns).mean_all();
//! loss.backward();
//!
//! let grad = logits.grad().unwrap().to_vec();
//! let (p, a, r) = (policy.probs().detach().to_vec(), actions.to_vec(), returns.to_vec());
//! for state in 0..4 {
//!     for action in 0..3 {
//!         let taken = if a[state] == action as i64 { 1.0 } else { 0.0 };
//!         let expected = -r[state] * (taken - p[3 * state + action]) / 4.0;
//!         assert!((grad[3 * state + action] - expected).abs() < 1e-12);
//!     }
//! }
//! let entropy: Tensor<(D<4>,), f64> = policy.entropy(); // for an entropy bonus
//! assert!(entropy.to_vec().iter().all(|h| *h > 0.0 && *h <= 3f64.ln() + 1e-12));
//! # Ok::<(), typed_torch::Error>(())
//! ```
//!
//! ## Checked parameters
//!
//! The constructors check their parameters as PyTorch's `validate_args` does (a normal's `loc`
//! not NaN and `scale` positive, a Bernoulli's `probs` in [0, 1], a categorical's rows
//! non-negative and summing to 1) and return an
//! [`Error::Parameter`](crate::Error::Parameter) naming the distribution, the parameter, the
//! constraint and the first entry that breaks it. The check reads values back from the device,
//! so inside a training loop, with parameters valid by construction (a scale that is an `exp`
//! or a `softplus`, a decoder's logits), use the `_unvalidated` forms, PyTorch's
//! `validate_args=False`; they trust you, and a bad parameter then gives NaN densities.
//!
//! ```
//! use typed_torch::distributions::{Bernoulli, Distribution, Normal};
//! use typed_torch::{Error, Tensor, D};
//!
//! let loc = Tensor::<(D<3>,), f64>::zeros();
//! let scale = Tensor::<(D<3>,), f64>::from_array([1.0, -0.5, 2.0]);
//! let err = Normal::new(loc.clone(), scale.clone()).unwrap_err();
//! assert!(matches!(err, Error::Parameter { distribution: "Normal", parameter: "scale", .. }));
//! assert_eq!(err.to_string(), "Normal: `scale` must be positive (> 0); entry 1 is -0.5");
//!
//! let err = Bernoulli::from_probs(Tensor::<(D<3>,), f64>::from_array([0.5, 0.0, 1.5])).unwrap_err();
//! assert_eq!(err.to_string(), "Bernoulli: `probs` must be in [0, 1]; entry 2 is 1.5");
//!
//! // Unchecked, the same scale is accepted, and its entry's density is NaN.
//! let unchecked = Normal::new_unvalidated(loc.clone(), scale);
//! assert!(unchecked.log_prob(&loc).to_vec()[1].is_nan());
//! ```
//!
//! ## The ELBO
//!
//! A VAE models an image `x` through a latent `z`: a prior `p(z) = N(0, I)`, a decoder that
//! turns `z` into a distribution over images `p(x | z)` (here a Bernoulli per pixel), and an
//! encoder that turns `x` into an approximate posterior `q(z | x)` (a diagonal Gaussian). The
//! log-likelihood `log p(x)` is out of reach; the ELBO is a lower bound on it, and training
//! maximises it:
//!
//! ```text
//! ELBO(x) = E_{z ~ q(z|x)} [ log p(x | z) ] - KL( q(z | x) || p(z) )  <=  log p(x)
//! ```
//!
//! Each term is one call: the expectation is estimated with one reparameterised draw
//! (`q.rsample()`, so the gradient reaches the encoder through `z`), `log p(x | z)` is the
//! decoder distribution's `log_prob(&x)`, summed over the pixels by `Independent`, and the
//! divergence is `kl_divergence(&q, &prior)` in closed form. Both terms have the batch shape
//! `(B,)`: one ELBO per image, in nats. A small VAE of 6-pixel images with a 2-D latent, written
//! out with `Linear` layers:
//!
//! ```
//! use typed_torch::distributions::{
//!     kl_divergence, Bernoulli, Distribution, Independent, Normal, Rsample,
//! };
//! use typed_torch::prelude::*;
//!
//! let encoder = Linear::<6, 8>::init()?;
//! let (mean, log_var) = (Linear::<8, 2>::init()?, Linear::<8, 2>::init()?);
//! let decoder = Linear::<2, 6>::init()?; // pixel logits
//!
//! let x = Tensor::<(D<4>, D<6>)>::rand(); // 4 images, intensities in [0, 1]
//! let h = encoder.forward(x.clone()).relu();
//! let scale = log_var.forward(h.clone()).mul_scalar(0.5).exp(); // positive by construction
//! let q = Independent::<_, 1>::new(Normal::new_unvalidated(mean.forward(h), scale));
//! let prior = Independent::<_, 1>::new(Normal::<(D<4>, D<2>)>::standard());
//!
//! let z = q.rsample();
//! let p_x = Independent::<_, 1>::new(Bernoulli::from_logits_unvalidated(decoder.forward(z)));
//! let elbo: Tensor<(D<4>,)> = p_x.log_prob(&x) - kl_divergence(&q, &prior);
//! // A Bernoulli's log-mass is at most 0 and a divergence at least 0.
//! assert!(elbo.to_vec().iter().all(|e| *e < 0.0));
//!
//! let loss = -elbo.mean_all();
//! loss.backward();
//! assert!(encoder.weight.grad().is_some() && log_var.weight.grad().is_some());
//! assert!(decoder.weight.grad().is_some());
//!
//! // With the noise given, eps = 0 decodes the posterior's mean.
//! let at_mean = q.base().rsample_with(&Tensor::zeros());
//! assert_eq!(at_mean.to_vec(), q.base().mean().to_vec());
//! # Ok::<(), typed_torch::Error>(())
//! ```
//!
//! Feeding that decoder a latent of another width is a compile error, and so is a divergence
//! from a prior over latents of another size:
//!
//! ```compile_fail
//! use typed_torch::distributions::{kl_divergence, Independent, Normal};
//! use typed_torch::prelude::*;
//!
//! let decoder = Linear::<2, 6>::init().unwrap();
//! let z = Tensor::<(D<4>, D<3>)>::randn();
//! // error[E0277]: `Linear<2, 6>` cannot take `Tensor<(D<4>, D<3>)>` as input
//! let _logits = decoder.forward(z);
//! let q = Independent::<_, 1>::new(Normal::<(D<4>, D<2>)>::standard());
//! let prior = Independent::<_, 1>::new(Normal::<(D<4>, D<3>)>::standard());
//! // error[E0308]: mismatched types ... expected `2`, found `3`
//! let _kl = kl_divergence(&q, &prior);
//! ```
//!
//! ## A VAE of digits
//!
//! `models/src/vae.rs` (the `typed-torch-models` crate) is Kingma and Welling's VAE for 28x28
//! digits: an encoder `784 -> 400`, ReLU, then two `400 -> Z` heads for the posterior's means and
//! log-variances; a decoder `Z -> 400`, ReLU, `400 -> 784` pixel logits. The latent size is in
//! the type, `Vae<16>` (and `Vae<2, f64>`), and so in every tensor it touches: the posterior is
//! `Independent<Normal<(B, D<Z>)>, 1>`, the likelihood `Independent<Bernoulli<(B, D<784>)>, 1>`,
//! and a latent of the wrong width for the decoder does not compile. Its methods are the pieces
//! above:
//!
//! * `posterior(&x)`: `q(z | x)`, with scale `exp(log_var / 2)` (unvalidated);
//! * `likelihood(z)`: `p(x | z)`;
//! * `elbo(&x)`: one ELBO per image, `(B,)`, with one `rsample`; training minimises
//!   `-vae.elbo(&x).mean_all()`;
//! * `elbo_with_noise(&x, &eps)`: the same with the draw's noise given;
//! * `reconstruct(&x)`: pixel probabilities decoded from the posterior's mean; `decode(z)`:
//!   pixel probabilities from latents; `generate::<N>()`: `N` new digits, latents drawn from the
//!   prior.
//!
//! Parameter names match a `torch.nn.Module` with fields `encoder`, `mean`, `log_var` and
//! `decoder`, so a `state_dict` moves both ways.
//!
//! ```
//! use typed_torch::prelude::*;
//! use typed_torch_models::vae::Vae;
//!
//! let vae = Vae::<2>::init()?;
//! let x = Tensor::<(Dyn, D<784>)>::rand_dyn(&[3])?;
//! let elbo: Tensor<(Dyn,)> = vae.elbo(&x); // nats per image
//! assert_eq!(elbo.size(), [3]);
//! let eps = Tensor::<(Dyn, D<2>)>::zeros_dyn(&[3])?;
//! let at_mean: Tensor<(Dyn,)> = vae.elbo_with_noise(&x, &eps);
//! assert!(at_mean.to_vec().iter().all(|e| *e < 0.0));
//! let digits: Tensor<(D<8>, D<784>)> = vae.generate::<8>(); // pixel probabilities
//! assert_eq!(digits.size(), [8, 784]);
//! # Ok::<(), typed_torch::Error>(())
//! ```
//!
//! `examples/vae_mnist.rs` trains it with Adam (learning rate 1e-3, batches of 64) on the
//! set-up's 4,000 MNIST training digits, intensities scaled to [0, 1], and evaluates the ELBO of
//! the 1,000 held-out digits every epoch:
//!
//! ```text
//! cargo run --release --example vae_mnist                 # latent 16, 30 epochs
//! cargo run --release --example vae_mnist -- --latent 2   # and the latent scatter
//! ```
//!
//! It writes to `runs/` (`--out` to change it):
//!
//! * `vae_mnist_z16_reconstructions_epochNNN.png` every epoch: 32 test digits, each row of 8 over
//!   its reconstructions;
//! * `vae_mnist_z16_samples_epochNNN.png` every epoch: 64 digits decoded from the same prior
//!   draws each epoch, so one set of digits forming;
//! * with `--latent 2`, `vae_mnist_z2_latent.png` (and `.svg`): the test digits' posterior means
//!   at epochs 1, 2, 4, 8, 16 and the last, coloured by class: clusters form though the model
//!   never saw a label (the 1s, 2s and 6s apart; 4, 7 and 9 share a region);
//! * the curves of the negative ELBO, `vae_mnist_z16.png` (and `.svg`), the history
//!   `vae_mnist_z16.csv`, and the checkpoint `vae_mnist_z16.safetensors`.
//!
//! Measured with seed 0 on the set-up's digits: with 16 latents, an untrained test ELBO of
//! -550.5 nats per image, -145.0 after 5 epochs and -116.1 after 30 (training digits: -110.3);
//! with 2 latents, -164.8 after 30 epochs. An epoch takes about 0.3 s in release.
//!
//! ## How it is checked
//!
//! `tests/layers/distributions.rs` compares every distribution with `torch.distributions` in
//! f64 within 1e-12: log-densities, entropies, CDFs, KL divergences (infinities included) and the
//! gradients of each with respect to every parameter and value, the draws of `sample` and
//! `rsample` under the same seed, and the validation messages. `tests/train/vae_mnist.rs` loads
//! PyTorch's weights into a `Vae<3, f64>` and takes one Adam step on the same images and the same
//! noise (`elbo_with_noise`): the loss equals PyTorch's within 1e-9, every gradient within 1e-10,
//! and every parameter after the step within 1e-12. It also runs the example for 3 epochs
//! (asserting a test ELBO at least 300 nats above the untrained model's) and checks the pictures
//! it writes.
