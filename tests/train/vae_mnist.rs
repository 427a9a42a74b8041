//! The VAE: one training step equals PyTorch's on the same weights, images and noise (f64), and
//! the `vae_mnist` example, shortened to 3 epochs (the README reports 30), learns: its test ELBO
//! rises by at least 300 nats per image over the untrained model's (about -550 nats, chance
//! pixels; 3 epochs reach about -160 here), and it writes its pictures.
use crate::common::{assert_close_to, load_state, lock_generator, reference, share_generator};
use crate::vae_mnist_example::{train, Args};
use clap::Parser;
use typed_torch::nn::{Init, Params};
use typed_torch::optim::{Adam, AdamConfig, Optimizer};
use typed_torch::{Dyn, Tensor, D};
use typed_torch_models::vae::Vae;

#[test]
fn one_training_step_matches_pytorch() {
    let _shared = share_generator();
    let mut vae = Vae::<3, f64>::init().unwrap();
    load_state(&mut vae, "vae.param");
    let x = Tensor::<(Dyn, D<784>), f64>::from_tch(reference("vae.x")).unwrap();
    let eps = Tensor::<(Dyn, D<3>), f64>::from_tch(reference("vae.eps")).unwrap();
    let mut opt = Adam::new(&mut vae, AdamConfig::default()).unwrap();
    let loss = -vae.elbo_with_noise(&x, &eps).mean_all();
    assert_close_to("vae", "loss", &loss, 1e-9);
    opt.zero_grad();
    loss.backward();
    let mut names = Vec::new();
    vae.for_each_param(|name, p| {
        let grad = Tensor::<(Dyn,), f64>::from_tch(p.grad().reshape([-1])).unwrap();
        let expected = reference(&format!("vae.pgrad.{name}")).reshape([-1]);
        let diff = (grad.as_tch() - expected).abs().max().double_value(&[]);
        assert!(
            diff < 1e-10,
            "gradient of {name} differs from PyTorch's by {diff:e}"
        );
        names.push(name.to_string());
    });
    assert_eq!(names.len(), 10, "{names:?}");
    opt.step(&mut vae).unwrap();
    vae.for_each_param(|name, p| {
        let expected = reference(&format!("vae.after.{name}"));
        let diff = (p - expected).abs().max().double_value(&[]);
        assert!(
            diff < 1e-12,
            "{name} after Adam's step differs from PyTorch's by {diff:e}"
        );
    });
}

#[test]
fn the_vae_learns_digits_and_draws_them() {
    // The initial weights, the order of the digits and the draws follow the seed.
    let _serial = lock_generator();
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("vae-mnist-{}", std::process::id()));
    let out = out.to_string_lossy().into_owned();
    let mut args = Args::parse_from(["vae_mnist", "--epochs", "3", "--out", &out]);
    args.verbose = false;
    let report = train(&args).unwrap();
    assert!(
        report.untrained_test_elbo < -500.0,
        "untrained test ELBO {:.1}",
        report.untrained_test_elbo
    );
    assert!(
        report.test_elbo > report.untrained_test_elbo + 300.0,
        "test ELBO {:.1} after 3 epochs, {:.1} untrained",
        report.test_elbo,
        report.untrained_test_elbo
    );
    // Reconstructions (4 pairs of rows of 8) and samples (8 x 8): 28-pixel tiles, 2-pixel gaps.
    for picture in &report.pictures {
        let size = image_size(picture);
        assert_eq!(size, (242, 242), "{}", picture.display());
    }
    assert_eq!(report.pictures.len(), 2);
    for file in [
        "vae_mnist_z16.png",
        "vae_mnist_z16.csv",
        "vae_mnist_z16.safetensors",
    ] {
        let path = std::path::Path::new(&out).join(file);
        assert!(path.exists(), "{} was not written", path.display());
    }

    // A 2-D latent also draws the test digits' latent means.
    let mut args = Args::parse_from(["vae_mnist", "--epochs", "1", "--latent", "2", "--out", &out]);
    args.verbose = false;
    let report = train(&args).unwrap();
    let latent = report.pictures.last().unwrap();
    assert!(
        latent.ends_with("vae_mnist_z2_latent.png"),
        "{}",
        latent.display()
    );
    let (w, h) = image_size(latent);
    assert!(w > 300 && h > 300, "{w} x {h}");
    // A latent size the example does not build is an error, not a panic.
    let mut args = Args::parse_from(["vae_mnist", "--latent", "5", "--out", &out]);
    args.verbose = false;
    assert!(train(&args)
        .unwrap_err()
        .to_string()
        .contains("2, 8, 16 or 32"));
}

/// Width and height of a PNG, from its header.
fn image_size(path: &std::path::Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[1..4], b"PNG", "{} is not a PNG", path.display());
    let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (word(16), word(20))
}
