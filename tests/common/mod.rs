//! What the test binaries share: PyTorch reference values, and turns at libtorch's generator.
//!
//! `tests/reference/ops.py` runs once per test binary and writes every case's inputs
//! (`<case>.in0`, `<case>.in1`, ...) and PyTorch's results (`<case>.out`, `<case>.grad0`, ...) into
//! one safetensors file under the target directory; each test thread loads it once.
// Each test binary compiles this module and uses a part of it.
#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{OnceLock, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use typed_torch::{Device, Element, Shape, Tensor};

/// The Python that has torch: `$TYPED_TORCH_PYTHON`, else `.typed-torch/python` in this crate.
///
/// `.typed-torch/python` is a symlink to a virtual environment's `bin/python`, and Python finds
/// its `pyvenv.cfg` next to the path it was started as, not next to the link's target. So the
/// links are followed one at a time until one lies in a virtual environment.
pub fn python() -> PathBuf {
    let configured = std::env::var_os("TYPED_TORCH_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".typed-torch/python"));
    let in_venv = |p: &Path| {
        let bin = p.parent().unwrap_or(Path::new("/"));
        bin.join("pyvenv.cfg").exists()
            || bin
                .parent()
                .is_some_and(|env| env.join("pyvenv.cfg").exists())
    };
    let mut path = configured.clone();
    for _ in 0..16 {
        if in_venv(&path) {
            return path;
        }
        match std::fs::read_link(&path) {
            Ok(next) => path = path.parent().unwrap_or(Path::new("/")).join(next),
            Err(_) => break,
        }
    }
    configured
}

/// libtorch's default generator is global to the process, and a binary's tests run on threads.
/// Where a test needs the values that follow its seed (the same weights twice, PyTorch's
/// initialisation), it holds [`lock_generator`] from seeding to its last draw; then every other
/// test of that binary that draws (creating layers, `randn`, dropout in training) holds
/// [`share_generator`], so no draw falls in between. Drawing tests still run side by side.
/// Neither is reentrant: a thread holding one must not take either again.
static GENERATOR: RwLock<()> = RwLock::new(());

/// libtorch's generator to this thread alone, see [`GENERATOR`].
pub fn lock_generator() -> RwLockWriteGuard<'static, ()> {
    GENERATOR.write().unwrap_or_else(PoisonError::into_inner)
}

/// libtorch's generator shared with the other drawing tests, see [`GENERATOR`].
pub fn share_generator() -> RwLockReadGuard<'static, ()> {
    GENERATOR.read().unwrap_or_else(PoisonError::into_inner)
}

/// Runs the reference script (once per test binary) and returns the file it wrote.
fn reference_file() -> &'static Path {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/ops.py");
        let exe = std::env::current_exe().ok();
        let stem = exe
            .as_deref()
            .and_then(Path::file_stem)
            .and_then(|s| s.to_str())
            .unwrap_or("test");
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "pytorch-reference-{stem}-{}.safetensors",
            std::process::id()
        ));
        let python = python();
        let result = std::process::Command::new(&python)
            .arg(&script)
            .arg(&out)
            .output();
        let output = result.unwrap_or_else(|e| {
            panic!(
                "could not run {} (set TYPED_TORCH_PYTHON to a Python with torch): {e}",
                python.display()
            )
        });
        assert!(
            output.status.success(),
            "{} {} failed ({}):\n{}{}",
            python.display(),
            script.display(),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        out
    })
}

thread_local! {
    static TENSORS: RefCell<Option<HashMap<String, tch::Tensor>>> = const { RefCell::new(None) };
}

/// The stored tensor `key` (e.g. `"unary.exp.in0"`); panics naming the key if it is missing.
pub fn reference(key: &str) -> tch::Tensor {
    TENSORS.with(|cell| {
        let mut map = cell.borrow_mut();
        let map = map.get_or_insert_with(|| {
            let file = reference_file();
            tch::Tensor::read_safetensors(file)
                .unwrap_or_else(|e| panic!("reading {}: {e}", file.display()))
                .into_iter()
                .collect()
        });
        map.get(key)
            .unwrap_or_else(|| {
                panic!("{key}: not in the reference file (add it to tests/reference/ops.py)")
            })
            .shallow_clone()
    })
}

/// Input `i` of `case` as a typed tensor; panics naming the case if its shape or dtype do not fit.
pub fn input<S: Shape, E: Element>(case: &str, i: usize) -> Tensor<S, E> {
    let raw = reference(&format!("{case}.in{i}"));
    let sizes = raw.size();
    let kind = raw.kind();
    Tensor::from_tch(raw).unwrap_or_else(|e| {
        panic!(
            "{case}: input {i} ({sizes:?}, {kind:?}) is not a Tensor<{}, {}>: {e}",
            S::describe(),
            E::NAME
        )
    })
}

/// Checks `actual` against PyTorch's `<case>.out`, see [`assert_close_to`].
pub fn assert_close<S: Shape, E: Element, Dev: Device>(
    case: &str,
    actual: &Tensor<S, E, Dev>,
    tol: f64,
) -> f64 {
    assert_close_to(case, "out", actual, tol)
}

/// Checks that the run-time shape of `actual` fits its static type `S` and equals the shape of the
/// reference `<case>.<what>`, that its dtype is `E` and the reference's, and that the largest
/// absolute difference is at most `tol`. Returns that difference.
pub fn assert_close_to<S: Shape, E: Element, Dev: Device>(
    case: &str,
    what: &str,
    actual: &Tensor<S, E, Dev>,
    tol: f64,
) -> f64 {
    let expected = reference(&format!("{case}.{what}"));
    let raw = actual.as_tch();
    let sizes = raw.size();
    let typed: Vec<Option<i64>> = S::DIMS.iter().map(|d| d.map(|d| d as i64)).collect();
    assert!(
        sizes.len() == typed.len()
            && typed
                .iter()
                .zip(&sizes)
                .all(|(t, &s)| t.is_none_or(|t| t == s)),
        "{case}: result has run-time shape {sizes:?}, but its static type is {}",
        S::describe()
    );
    assert_eq!(
        sizes,
        expected.size(),
        "{case}: result shape {sizes:?} differs from PyTorch's"
    );
    assert_eq!(
        raw.kind(),
        E::DTYPE,
        "{case}: result holds {:?}, but its static type says {}",
        raw.kind(),
        E::NAME
    );
    assert_eq!(
        raw.kind(),
        expected.kind(),
        "{case}: result dtype differs from PyTorch's"
    );
    let (a, b) = (
        raw.to_device(tch::Device::Cpu).to_kind(tch::Kind::Double),
        expected.to_kind(tch::Kind::Double),
    );
    let diff = if a.numel() == 0 {
        0.0
    } else {
        (&a - &b).abs().max().double_value(&[])
    };
    assert!(
        diff <= tol, // false for NaN
        "{case}: max |result - PyTorch| = {diff:e} > {tol:e}\nresult:\n{a}\nPyTorch:\n{b}"
    );
    record(case, diff, tol);
    diff
}

/// Prints the difference (visible with `--nocapture`), for reports on how close the ops are.
fn record(case: &str, diff: f64, tol: f64) {
    println!("{case}: max|diff| {diff:.3e} (tol {tol:e})");
}

/// Copies every parameter and buffer of `model` from the reference file's `<prefix>.<name>`
/// (`state_dict` names); a name PyTorch does not have fails the lookup, so this also checks naming.
// Each test binary compiles this module; the op tests have no models.
#[allow(dead_code)]
pub fn load_state<M: typed_torch::nn::Params>(model: &mut M, prefix: &str) {
    typed_torch::no_grad(|| {
        model.for_each_tensor_mut(|name, t| {
            let src = reference(&format!("{prefix}.{name}"));
            assert_eq!(t.size(), src.size(), "{prefix}.{name} has the wrong shape");
            t.copy_(&src);
        })
    });
}
