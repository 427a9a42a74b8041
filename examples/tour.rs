//! A tour of typed tensors and autograd: shapes in types, compile-time shape arithmetic, and a
//! small model fitted by gradient descent with typed gradients.
//!
//! Run with `cargo run --release --example tour`.
use typed_torch::prelude::*;

fn main() -> typed_torch::Result<()> {
    tch::manual_seed(0);

    // Static dims are const generics; `Dyn` is a size known only at run time.
    let images = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::randn_dyn(&[8])?;
    println!("images         {:?}", images.size());

    // Conv output sizes are computed by the compiler: 28 -> (28 + 2*2 - 5)/1 + 1 = 28, pooled to 14.
    let kernel = Tensor::<(D<6>, D<1>, D<5>, D<5>)>::randn();
    let features = images
        .conv2d(&kernel, None, Padding::<2>)
        .relu()
        .max_pool2d(Kernel::<2>, ());
    let features: Tensor<(Dyn, D<6>, D<14>, D<14>)> = features;
    println!(
        "conv+pool      {:?}  (type: (Dyn, D<6>, D<14>, D<14>))",
        features.size()
    );

    // Flatten multiplies the static dims at compile time: 6 * 14 * 14 = 1176.
    let flat: Tensor<(Dyn, D<1176>)> = features.flatten::<1, 3>();
    println!("flattened      {:?}", flat.size());

    // Broadcasting follows numpy's rules in the type: (Dyn, D<10>) + (D<10>,) = (Dyn, D<10>).
    let w = Tensor::<(D<1176>, D<10>)>::randn() * 0.01;
    let b = Tensor::<(D<10>,)>::zeros();
    let logits = flat.matmul(&w) + &b;
    println!("logits         {:?}", logits.size());

    // A wrong shape does not compile, e.g. `flat.matmul(&Tensor::<(D<784>, D<10>)>::zeros())`:
    //   error[E0277]: cannot matrix-multiply `(Dyn, D<1176>)` by `(D<784>, D<10>)`

    // Autograd: fit y = 3x - 2 with a typed parameter pair. Only rank-0 tensors have `backward`.
    let x = Tensor::<(D<64>, D<1>)>::randn();
    let y = &x * 3.0 - 2.0;
    let mut slope = Tensor::<(D<1>, D<1>)>::zeros().requires_grad();
    let mut bias = Tensor::<(D<1>,)>::zeros().requires_grad();
    for step in 0..=200 {
        let pred = x.matmul(&slope) + &bias;
        let loss: Tensor<()> = (pred - &y).square().mean_all();
        slope.zero_grad_in_place();
        bias.zero_grad_in_place();
        loss.backward();
        // Gradients have their parameter's type, so the update cannot mix shapes up.
        let (gs, gb) = (
            slope.grad().expect("slope grad"),
            bias.grad().expect("bias grad"),
        );
        no_grad(|| {
            slope = (&slope - gs * 0.1).detach().requires_grad();
            bias = (&bias - gb * 0.1).detach().requires_grad();
        });
        if step % 50 == 0 {
            println!("step {step:3}  loss {:.6}", loss.item());
        }
    }
    println!(
        "fitted: y = {:.4} x + {:.4}   (true: y = 3x - 2)",
        slope.to_vec()[0],
        bias.to_vec()[0]
    );

    // Devices are types too; CUDA without a GPU is an error, not a crash.
    match images.to_device::<Cuda<0>>() {
        Ok(on_gpu) => println!("moved to {:?}", on_gpu.as_tch().device()),
        Err(e) => println!("CUDA skipped: {e}"),
    }
    Ok(())
}
