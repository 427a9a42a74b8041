//! The PyTorch converter, `scripts/torch2typed.py`, end to end: PyTorch models become Rust
//! source and a weights file, a scratch crate outside the workspace compiles the source, loads
//! each file strictly and runs PyTorch's inputs through the models, and the outputs must be
//! PyTorch's (f64, evaluation mode, within 1e-9).
//!
//! The models (`tests/reference/convert.py`): LeNet as an `nn.Sequential` (converted through the
//! command line, into an HList), a small Transformer encoder classifier, torchvision's `resnet18`
//! and `mobilenet_v2` (random weights and batch-norm statistics, 64x64 images), and two small
//! models for the rest of what the converter maps (`SmallCnn`, and `TokenBag` on int64 token
//! ids). The generated
//! ResNet-18 must also be the zoo's hand-written one: the same file loads strictly into
//! `typed_torch_models::vision::resnet::ResNet18` and gives the same logits. Modules with parts
//! the converter does not map make it fail, naming each part and its source line, writing nothing.
//!
//! The scratch crate builds into the `libtorch_env_var` test's target directory with the same
//! environment ([`App::cargo`] and the same `LIBTORCH`), so torch-sys (minutes of C++) and
//! typed-torch are built once for both.
use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::{cache_dir, libtorch_dir, step, user_env, venv_dir, App};

/// Largest difference allowed between PyTorch's outputs and the converted models' (f64).
const TOL: f64 = 1e-9;

/// The scratch crate's `src/main.rs`: for each converted model, the weights file loaded
/// strictly, PyTorch's input run through it in evaluation mode, and the outputs written to
/// `<models>/outputs.safetensors` (`<stem>`, and `zoo.resnet18` for the hand-written ResNet-18).
const MAIN: &str = r#"
#[path = "../models/lenet.rs"]
mod lenet;
#[path = "../models/mobilenetv2.rs"]
mod mobilenetv2;
#[path = "../models/resnet18.rs"]
mod resnet18;
#[path = "../models/smallcnn.rs"]
mod smallcnn;
#[path = "../models/tinytransformer.rs"]
mod tinytransformer;
#[path = "../models/tokenbag.rs"]
mod tokenbag;

use std::collections::HashMap;
use std::path::Path;
use typed_torch::checkpoint;
use typed_torch::nn::{Init, Module, Params};
use typed_torch::{tch, Dyn, Element, Shape, Tensor, D};

/// Loads `<stem>.safetensors` strictly into `model`, runs `<stem>.io.safetensors`'s input
/// (shape `S`, elements `X`).
fn run<M, S, X, T>(dir: &Path, stem: &str, mut model: M) -> tch::Tensor
where
    M: Params + Module<Tensor<S, X>, Output = Tensor<T, f64>>,
    S: Shape,
    X: Element,
    T: Shape,
{
    let started = std::time::Instant::now();
    let weights = dir.join(format!("{stem}.safetensors"));
    let report = checkpoint::load(&mut model, &weights)
        .unwrap_or_else(|e| panic!("{stem}: the state_dict does not load strictly: {e}"));
    assert!(report.missing.is_empty() && report.unexpected.is_empty());
    model.set_train(false);
    let io: HashMap<String, tch::Tensor> =
        tch::Tensor::read_safetensors(dir.join(format!("{stem}.io.safetensors")))
            .unwrap()
            .into_iter()
            .collect();
    let x = Tensor::<S, X>::from_tch(io["input"].copy())
        .unwrap_or_else(|e| panic!("{stem}: PyTorch's input does not fit the model: {e}"));
    let loaded = started.elapsed().as_secs_f64();
    let y = model.forward(x);
    println!(
        "{stem}: {} tensors loaded in {loaded:.1} s, output {:?} in {:.2} s",
        report.loaded.len(),
        y.size(),
        started.elapsed().as_secs_f64() - loaded
    );
    y.as_tch().copy()
}

fn main() -> typed_torch::Result<()> {
    // One thread: beside other tests on few cores, OpenMP's waiting threads slow each other
    // down by orders of magnitude.
    tch::set_num_threads(1);
    let dir = std::env::args().nth(1).expect("usage: converted MODELS_DIR");
    let dir = Path::new(&dir);
    let outputs = vec![
        ("lenet", run::<_, (Dyn, D<1>, D<28>, D<28>), f64, _>(dir, "lenet", lenet::LeNet::<f64>::init()?)),
        (
            "smallcnn",
            run::<_, (Dyn, D<3>, D<16>, D<16>), f64, _>(dir, "smallcnn", smallcnn::SmallCnn::<f64>::init()?),
        ),
        (
            "tokenbag",
            run::<_, (Dyn, D<12>), i64, _>(dir, "tokenbag", tokenbag::TokenBag::<f64>::init()?),
        ),
        (
            "tinytransformer",
            run::<_, (Dyn, D<10>, D<8>), f64, _>(
                dir,
                "tinytransformer",
                tinytransformer::TinyTransformer::<f64>::init()?,
            ),
        ),
        (
            "resnet18",
            run::<_, (Dyn, D<3>, D<64>, D<64>), f64, _>(dir, "resnet18", resnet18::ResNet18::<f64>::init()?),
        ),
        (
            "mobilenetv2",
            run::<_, (Dyn, D<3>, D<64>, D<64>), f64, _>(
                dir,
                "mobilenetv2",
                mobilenetv2::MobileNetV2::<f64>::init()?,
            ),
        ),
        (
            "zoo.resnet18",
            run::<_, (Dyn, D<3>, Dyn, Dyn), f64, _>(
                dir,
                "resnet18",
                typed_torch_models::vision::resnet::ResNet18::<10, f64>::init()?,
            ),
        ),
    ];
    tch::Tensor::write_safetensors(&outputs, dir.join("outputs.safetensors"))?;
    Ok(())
}
"#;

/// The set-up's Python (the virtualenv with torch, torchvision and safetensors).
fn python() -> PathBuf {
    venv_dir().join("bin").join("python")
}

fn checkout() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `python <args>` in the checkout (so reported source paths are relative to it), on one
/// thread (see the scratch crate's `main`).
fn python_cmd(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Command {
    let mut cmd = Command::new(python());
    cmd.current_dir(checkout()).env("OMP_NUM_THREADS", "1");
    for arg in args {
        cmd.arg(arg);
    }
    cmd
}

fn read_tensors(path: &Path) -> HashMap<String, tch::Tensor> {
    tch::Tensor::read_safetensors(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .into_iter()
        .collect()
}

fn max_diff(what: &str, a: &tch::Tensor, b: &tch::Tensor) -> f64 {
    assert_eq!(a.size(), b.size(), "{what}: shapes differ");
    assert_eq!(a.kind(), tch::Kind::Double, "{what}: not f64");
    (a - b).abs().max().double_value(&[])
}

#[test]
fn converted_models_match_pytorch() {
    let scratch =
        std::env::temp_dir().join(format!("typed-torch-converter-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let crate_dir = scratch.join("converted");
    let models = crate_dir.join("models");
    std::fs::create_dir_all(crate_dir.join("src")).unwrap();

    let started = Instant::now();
    let script = checkout().join("tests/reference/convert.py");
    step("convert.py", &mut python_cmd(&[&script, &models]), &[]);
    let out = step(
        "torch2typed.py (LeNet)",
        &mut python_cmd(&[
            &"scripts/torch2typed.py",
            &"tests/reference/convert.py:lenet",
            &"--input",
            &"2,1,28,28",
            &"--name",
            &"LeNet",
            &"--dtype",
            &"float64",
            &"--out",
            &models,
        ]),
        &[],
    );
    assert!(out.contains("lenet.safetensors (10 tensors)"), "{out}");
    println!("conversion: {:.1} s", started.elapsed().as_secs_f64());

    // A plain stack is an HList, as models/src/lenet.rs writes it; the others are structs
    // whose fields keep PyTorch's names.
    let lenet = std::fs::read_to_string(models.join("lenet.rs")).unwrap();
    assert!(
        lenet.contains("pub type LeNet<E = f32, Dev = Cpu> = HList![")
            && lenet.contains("Conv2d<1, 6, 5, Padding<2>, E, Dev>")
            && lenet.contains("Linear<400, 120, (), E, Dev>"),
        "{lenet}"
    );
    let resnet = std::fs::read_to_string(models.join("resnet18.rs")).unwrap();
    assert!(
        resnet.contains(
            "#[module(rename = \"layer1.0.conv1\")]\n    pub layer1_0_conv1: Conv2d<64, 64, 3, (Padding<1>, NoBias), E, Dev>,"
        ) && resnet.contains("let flatten: Tensor<(B, D<512>), E, Dev> = avgpool.flatten::<1, 3>();"),
        "{resnet}"
    );

    std::fs::write(
        crate_dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"converted\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
             [dependencies]\ntyped-torch = {{ path = {checkout:?} }}\n\
             typed-torch-models = {{ path = {models_crate:?} }}\n",
            checkout = checkout(),
            models_crate = checkout().join("models"),
        ),
    )
    .unwrap();
    std::fs::write(crate_dir.join("src/main.rs"), MAIN).unwrap();
    std::fs::copy(checkout().join("Cargo.lock"), crate_dir.join("Cargo.lock")).unwrap();

    // The `libtorch_env_var` test's target directory and environment, so nothing of
    // libtorch's is rebuilt.
    let app = App {
        dir: crate_dir.clone(),
        target: cache_dir().join("target-own-crate").join("libtorch"),
    };
    let vars: [(&str, OsString); 1] = [("LIBTORCH", libtorch_dir().into_os_string())];
    let started = Instant::now();
    step("cargo build", app.cargo(&app.dir).arg("build"), &vars);
    println!(
        "scratch crate build: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // The binary itself, as `App::run` starts it: `cargo run` would rebuild whatever of the
    // checkout changed since the build.
    let started = Instant::now();
    let mut binary = user_env(Command::new(app.target.join("debug/converted")));
    binary.arg(&models);
    let lib = libtorch_dir().join("lib");
    let out = step("converted", &mut binary, &[("LD_LIBRARY_PATH", lib.into())]);
    println!("{out}run: {:.1} s", started.elapsed().as_secs_f64());

    let outputs = read_tensors(&models.join("outputs.safetensors"));
    for stem in [
        "lenet",
        "smallcnn",
        "tokenbag",
        "tinytransformer",
        "resnet18",
        "mobilenetv2",
    ] {
        let expected = &read_tensors(&models.join(format!("{stem}.io.safetensors")))["output"];
        let diff = max_diff(stem, &outputs[stem], expected);
        println!("{stem}: max |typed - PyTorch| = {diff:.3e}");
        assert!(
            diff <= TOL,
            "{stem}: outputs differ from PyTorch's by {diff:e}"
        );
    }
    let diff = max_diff("zoo", &outputs["zoo.resnet18"], &outputs["resnet18"]);
    println!("resnet18: max |generated - zoo's ResNet18| = {diff:.3e}");
    assert!(
        diff <= TOL,
        "the generated and the zoo's ResNet-18 differ by {diff:e}"
    );
    std::fs::remove_dir_all(&scratch).unwrap();
}

/// The 1-based line of `tests/reference/convert.py` holding `code`.
fn line_of(code: &str) -> usize {
    let source = std::fs::read_to_string(checkout().join("tests/reference/convert.py")).unwrap();
    let lines: Vec<usize> = (1..)
        .zip(source.lines())
        .filter(|(_, line)| line.contains(code))
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        lines.len(),
        1,
        "`{code}` must be on exactly one line of convert.py"
    );
    lines[0]
}

#[test]
fn unsupported_parts_are_listed_and_nothing_is_written() {
    // (factory, the parts the report must name, the source line they come from)
    let cases: [(&str, &[&str], &str); 3] = [
        (
            "with_lstm",
            &[
                "lstm: module `lstm` (torch.nn.modules.rnn.LSTM)",
                "getitem: function",
            ],
            "out, _ = self.lstm(self.proj(x))",
        ),
        (
            "with_fft",
            &["fft_rfft: function torch._C._fft.fft_rfft"],
            "spectrum = torch.fft.rfft(self.proj(x), dim=1).abs()",
        ),
        (
            "with_inplace",
            &["relu: function torch.nn.functional.relu"],
            "y = F.relu(h, inplace=True)",
        ),
    ];
    for (factory, parts, code) in cases {
        let out_dir = std::env::temp_dir().join(format!(
            "typed-torch-converter-{factory}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&out_dir);
        let spec = format!("tests/reference/convert.py:{factory}");
        let output = python_cmd(&[
            &"scripts/torch2typed.py",
            &spec,
            &"--input",
            &"2,10,8",
            &"--name",
            &"Unsupported",
            &"--out",
            &out_dir,
        ])
        .output()
        .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !output.status.success(),
            "{factory}: the converter succeeded:\n{stderr}"
        );
        let location = format!(
            "at tests/reference/convert.py:{} in forward: {code}",
            line_of(code)
        );
        for part in parts {
            let at = stderr
                .find(part)
                .unwrap_or_else(|| panic!("{factory}: `{part}` is not listed:\n{stderr}"));
            // The part's own entry: up to the next one.
            let entry = stderr[at..].split("\n  - ").next().unwrap();
            assert!(
                entry.contains(&location),
                "{factory}: `{part}` is listed without `{location}`:\n{stderr}"
            );
        }
        assert!(stderr.contains("nothing was written"), "{stderr}");
        assert!(
            !out_dir.exists(),
            "{factory}: {} was created although the conversion failed",
            out_dir.display()
        );
    }
}
