//! Checkpoints move between typed-torch and PyTorch in both directions, with no glue: for every
//! layer type and the example models,
//!
//! * PyTorch to typed-torch: `tests/reference/checkpoints.py` builds the `torch.nn` module, saves
//!   its `state_dict` with `safetensors.torch.save`; the typed model loads the file strictly and
//!   gives PyTorch's outputs (<= 1e-5);
//! * typed-torch to PyTorch: the typed model (random parameters and buffers) is saved with
//!   `checkpoint::save`; `tests/reference/checkpoint_load.py` loads each file into the `torch.nn`
//!   module with `load_state_dict(load_file(path), strict=True)` and its outputs must match the
//!   typed model's (<= 1e-5).

use std::path::{Path, PathBuf};

use crate::common::{assert_close, input, reference, share_generator};
use typed_torch::checkpoint;
use typed_torch::nn::{
    BatchNorm1d, BatchNorm2d, Conv1d, Conv2d, ConvTranspose2d, Embedding, GroupNorm, LayerNorm,
    Linear, Module, MultiheadAttention, Params,
};
use typed_torch::prelude::*;
use typed_torch::{Dyn, Element, Shape, Tensor, D};
use typed_torch_models::{cnn, lenet, mlp};

const TOL: f64 = 1e-5;

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("ckpt-pytorch-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every parameter and buffer away from its default, so that a tensor under a wrong name shows.
fn randomize(model: &mut impl Params) {
    typed_torch::no_grad(|| {
        model.for_each_tensor_mut(|name, t| {
            if t.is_floating_point() {
                if name.ends_with("running_var") {
                    let _ = t.uniform_(0.5, 1.5);
                } else {
                    let _ = t.uniform_(-0.5, 0.5);
                }
            } else {
                let _ = t.fill_(7);
            }
        })
    });
}

/// PyTorch to typed-torch: loads `ckpt.<case>.file` (PyTorch's bytes, written to a file) into
/// `model` strictly, and checks its output on PyTorch's input.
fn from_pytorch<M, S, E, S2, E2>(dir: &Path, case: &str, mut model: M)
where
    M: Params + Module<Tensor<S, E>, Output = Tensor<S2, E2>>,
    S: Shape,
    E: Element,
    S2: Shape,
    E2: Element,
{
    let bytes = Vec::<u8>::try_from(reference(&format!("ckpt.{case}.file"))).unwrap();
    let path = dir.join(format!("{case}.pytorch.safetensors"));
    std::fs::write(&path, bytes).unwrap();
    let report = checkpoint::load(&mut model, &path).unwrap_or_else(|e| panic!("{case}: {e}"));
    assert_eq!(
        report.metadata.get("source").map(String::as_str),
        Some("torch.nn")
    );
    model.set_train(false);
    let y = model.forward(input::<S, E>(&format!("ckpt.{case}"), 0));
    assert_close(&format!("ckpt.{case}"), &y, TOL);
}

/// typed-torch to PyTorch, first half: saves a randomized `model` and the case's input into
/// `dir`, returns the model's output for [`check_pytorch_outputs`].
fn to_pytorch<M, S, E, S2, E2>(dir: &Path, case: &str, mut model: M) -> (String, tch::Tensor)
where
    M: Params + Module<Tensor<S, E>, Output = Tensor<S2, E2>>,
    S: Shape,
    E: Element,
    S2: Shape,
    E2: Element,
{
    randomize(&mut model);
    model.set_train(false);
    checkpoint::save(&model, &dir.join(format!("{case}.model.safetensors"))).unwrap();
    let x = input::<S, E>(&format!("ckpt.{case}"), 0);
    tch::Tensor::write_safetensors(
        &[("x", x.as_tch())],
        dir.join(format!("{case}.input.safetensors")),
    )
    .unwrap();
    let y = model.forward(x);
    (case.to_string(), y.as_tch().shallow_clone())
}

/// Both directions for one case: `$make` builds the typed model, `$x` is its input type.
macro_rules! both_ways {
    ($from:expr, $to:expr, $outs:expr, $case:literal, $x:ty, $make:expr) => {{
        from_pytorch::<_, $x, _, _, _>($from, $case, $make);
        $outs.push(to_pytorch::<_, $x, _, _, _>($to, $case, $make));
    }};
}

type Digits = (Dyn, D<1>, D<28>, D<28>);

#[test]
fn every_layer_and_model_round_trips_through_pytorch() {
    let _generator = share_generator();
    let from = scratch("from");
    let to = scratch("to");
    tch::manual_seed(11);
    let mut outs: Vec<(String, tch::Tensor)> = Vec::new();
    both_ways!(
        &from,
        &to,
        outs,
        "linear",
        (D<4>, D<5>),
        Linear::<5, 3>::init().unwrap()
    );
    both_ways!(
        &from,
        &to,
        outs,
        "linear_nobias",
        (D<4>, D<5>),
        Linear::<5, 3, NoBias, f32, typed_torch::Cpu>::init().unwrap()
    );
    both_ways!(
        &from,
        &to,
        outs,
        "conv1d",
        (D<2>, D<4>, D<11>),
        Conv1d::<4, 3, 5, (Stride<2>, Padding<2>)>::init().unwrap()
    );
    both_ways!(
        &from,
        &to,
        outs,
        "conv2d",
        (D<2>, D<4>, D<9>, D<9>),
        Conv2d::<4, 6, 3, (Stride<2>, Padding<1>, Groups<2>)>::init().unwrap()
    );
    both_ways!(
        &from,
        &to,
        outs,
        "conv_transpose2d",
        (D<2>, D<4>, D<5>, D<5>),
        ConvTranspose2d::<4, 6, 3, (Stride<2>, Padding<1>, OutputPadding<1>, Groups<2>)>::init()
            .unwrap()
    );
    both_ways!(
        &from,
        &to,
        outs,
        "batchnorm1d",
        (D<6>, D<3>),
        BatchNorm1d::<3>::init().unwrap()
    );
    both_ways!(
        &from,
        &to,
        outs,
        "batchnorm2d",
        (D<3>, D<2>, D<4>, D<4>),
        BatchNorm2d::<2>::init().unwrap()
    );
    both_ways!(
        &from,
        &to,
        outs,
        "layernorm",
        (D<2>, D<3>, D<5>),
        LayerNorm::<5>::init().unwrap()
    );
    both_ways!(
        &from,
        &to,
        outs,
        "groupnorm",
        (D<3>, D<4>, D<3>, D<3>),
        GroupNorm::<Groups<2>, 4>::init().unwrap()
    );
    {
        // Indices are i64: spelled out, since the macro's input dtype is inferred from the model.
        from_pytorch::<_, (D<2>, D<3>), i64, _, _>(
            &from,
            "embedding",
            Embedding::<10, 4>::init().unwrap(),
        );
        outs.push(to_pytorch::<_, (D<2>, D<3>), i64, _, _>(
            &to,
            "embedding",
            Embedding::<10, 4>::init().unwrap(),
        ));
    }
    both_ways!(
        &from,
        &to,
        outs,
        "mha",
        (D<2>, D<3>, D<8>),
        MultiheadAttention::<8, Heads<2>>::init().unwrap()
    );
    both_ways!(
        &from,
        &to,
        outs,
        "mlp",
        Digits,
        mlp::Mlp::<typed_torch::nn::Sigmoid>::init().unwrap()
    );
    both_ways!(
        &from,
        &to,
        outs,
        "lenet",
        Digits,
        lenet::LeNet::init().unwrap()
    );
    both_ways!(
        &from,
        &to,
        outs,
        "cnn",
        Digits,
        cnn::Cnn::<f32, typed_torch::Cpu>::init().unwrap()
    );
    both_ways!(
        &from,
        &to,
        outs,
        "cnn_stack",
        Digits,
        cnn::CnnStack::<f32, Cpu>::init().unwrap()
    );

    // PyTorch loads every file the typed models wrote.
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/checkpoint_load.py");
    let output = std::process::Command::new(crate::common::python())
        .arg(&script)
        .arg(&to)
        .output()
        .expect("run python");
    assert!(
        output.status.success(),
        "{}:\n{}{}",
        script.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(outs.len(), 15);
    for (case, ours) in &outs {
        let theirs = tch::Tensor::read_safetensors(to.join(format!("{case}.output.safetensors")))
            .unwrap()
            .remove(0)
            .1;
        assert_eq!(theirs.size(), ours.size(), "{case}");
        assert_eq!(theirs.kind(), ours.kind(), "{case}");
        let diff = (&theirs - ours).abs().max().double_value(&[]);
        println!("typed-torch -> PyTorch {case}: max|diff| {diff:.3e}");
        assert!(
            diff <= TOL,
            "{case}: typed-torch and PyTorch differ by {diff:e}"
        );
    }
    std::fs::remove_dir_all(&from).unwrap();
    std::fs::remove_dir_all(&to).unwrap();
}
