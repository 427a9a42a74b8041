// The `src/main.rs` of the scratch crate `tests/own_crate/main.rs` builds: a user's first typed
// model, depending on typed-torch alone. It is compiled there, not as part of this package.
use typed_torch::optim::{Adam, AdamConfig, Optimizer};
use typed_torch::prelude::*;
use typed_torch::tch;

type Net = HList![Linear<4, 16>, ReLU, Linear<16, 1>];

fn main() -> typed_torch::Result<()> {
    tch::manual_seed(0);
    // Fixed data: y = x0 - 2 x1 + 0.5 x2 x3 on 32 points of a grid.
    let x: Vec<f32> = (0..32 * 4)
        .map(|i| ((i * 7) % 11) as f32 / 5.0 - 1.0)
        .collect();
    let y: Vec<f32> = x
        .chunks(4)
        .map(|p| p[0] - 2.0 * p[1] + 0.5 * p[2] * p[3])
        .collect();
    let x = Tensor::<(D<32>, D<4>)>::from_slice(&x)?;
    let y = Tensor::<(D<32>, D<1>)>::from_slice(&y)?;

    let mut model = Net::init()?;
    let mut opt = Adam::new(
        &mut model,
        AdamConfig {
            lr: 1e-2,
            ..Default::default()
        },
    )?;
    let mut losses = Vec::new();
    for _ in 0..50 {
        let loss = mse(&model.forward(x.clone()), &y, Mean);
        opt.zero_grad();
        loss.backward();
        opt.step(&mut model)?;
        losses.push(loss.item());
    }
    let (first, last) = (losses[0], losses[losses.len() - 1]);
    println!("loss {first:.4} -> {last:.4}");
    assert!(last < first / 2.0, "the loss did not fall: {losses:?}");
    Ok(())
}

/// `cargo test` runs the same training: test binaries must find libtorch as `cargo run`'s do.
#[test]
fn trains() {
    main().unwrap();
}
