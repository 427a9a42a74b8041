//! typed-torch from a user's own crate, as the README's "Using typed-torch from your own crate"
//! tells it: `cargo new app`, one dependency line, libtorch pointed at in one of the two documented
//! ways, then `cargo run` trains a small typed model (`tests/own_crate/app.rs`).
//!
//! The crate is made outside the workspace (so neither its `.cargo/config.toml`, which sets
//! `LIBTORCH` and `LD_LIBRARY_PATH`, nor its `Cargo.toml` applies) and is built by a nested cargo
//! with nothing of this build's environment that a user would not have. Each way to find libtorch
//! has its own persistent target directory in the cache (`target-own-crate/<way>`): torch-sys's
//! build script reruns (minutes of C++) whenever the variables it reads change, so sharing one
//! directory would rebuild it on every run. The two tests run in parallel, one core each.
//!
//! `converter` builds the PyTorch converter's output the same way, in the first way's target
//! directory.
mod converter;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `LIBTORCH=<libtorch> cargo run`, the README's first way.
#[test]
fn libtorch_env_var() {
    let libtorch = libtorch_dir();
    let app = App::new("libtorch");
    app.run(&[("LIBTORCH", libtorch.into_os_string())]);
}

/// `LIBTORCH_USE_PYTORCH=1 cargo run` in an activated virtualenv with torch 2.13.0, the second way.
/// torch-sys asks `python` (when `VIRTUAL_ENV` is set, else `python3`) on the `PATH`, which is what
/// `source <venv>/bin/activate` sets up.
#[test]
fn libtorch_use_pytorch() {
    let venv = venv_dir();
    let path = std::env::join_paths(std::iter::once(venv.join("bin")).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let app = App::new("pytorch");
    app.run(&[
        ("LIBTORCH_USE_PYTORCH", "1".into()),
        ("VIRTUAL_ENV", venv.into_os_string()),
        ("PATH", path),
    ]);
}

/// A scratch crate made by `cargo new`, and the target directory it builds into.
struct App {
    dir: PathBuf,
    target: PathBuf,
}

impl App {
    /// `cargo new app` in a fresh temporary directory, plus the one dependency line and the model.
    fn new(way: &str) -> App {
        let scratch = std::env::temp_dir().join(format!(
            "typed-torch-own-crate-{way}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&scratch);
        std::fs::create_dir_all(&scratch).unwrap();
        let app = App {
            dir: scratch.join("app"),
            target: cache_dir().join("target-own-crate").join(way),
        };
        step(
            "cargo new app",
            app.cargo(&scratch).args(["new", "app"]),
            &[],
        );

        let manifest = app.dir.join("Cargo.toml");
        let mut toml = std::fs::read_to_string(&manifest).unwrap();
        assert!(
            toml.trim_end().ends_with("[dependencies]"),
            "`cargo new` wrote an unexpected Cargo.toml:\n{toml}"
        );
        // A path dependency on this checkout: nothing is published yet.
        let checkout = env!("CARGO_MANIFEST_DIR");
        toml.push_str(&format!("typed-torch = {{ path = {checkout:?} }}\n"));
        std::fs::write(&manifest, toml).unwrap();
        std::fs::write(app.dir.join("src/main.rs"), include_str!("app.rs")).unwrap();
        // The versions CI tests, already downloaded; a user's cargo resolves the newest compatible
        // ones, which is not what this test is about.
        std::fs::copy(
            Path::new(checkout).join("Cargo.lock"),
            app.dir.join("Cargo.lock"),
        )
        .unwrap();
        app
    }

    /// `cargo build`, `cargo run` and `cargo test` with nothing set but `vars` (no
    /// `LD_LIBRARY_PATH`): the binaries must find libtorch by themselves, and the app trains. Then
    /// the binary started alone, with the `LD_LIBRARY_PATH` the README says it needs.
    fn run(&self, vars: &[(&str, OsString)]) {
        step("cargo build", self.cargo(&self.dir).arg("build"), vars);
        let out = step("cargo run", self.cargo(&self.dir).args(["run", "-q"]), vars);
        assert!(out.contains("loss "), "`cargo run` printed no loss:\n{out}");
        let out = step("cargo test", self.cargo(&self.dir).arg("test"), vars);
        assert!(
            out.contains("test trains ... ok"),
            "`cargo test` ran no test:\n{out}"
        );

        let mut binary = user_env(Command::new(self.target.join("debug/app")));
        let lib = libtorch_dir().join("lib");
        let out = step(
            "target/debug/app",
            &mut binary,
            &[("LD_LIBRARY_PATH", lib.into())],
        );
        assert!(out.contains("loss "), "the binary printed no loss:\n{out}");
        let _ = std::fs::remove_dir_all(self.dir.parent().unwrap());
    }

    /// A cargo command in `dir` building into this way's target directory.
    fn cargo(&self, dir: &Path) -> Command {
        let cargo = PathBuf::from(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        let mut cmd = user_env(Command::new(&cargo));
        cmd.current_dir(dir)
            .env("CARGO_TARGET_DIR", &self.target)
            // The workspace builds its dims tables without incremental bookkeeping (it doubles
            // their build time); a dependent's profile cannot say so, the environment can.
            .env("CARGO_INCREMENTAL", "0")
            // No debug info (nor `-g` for torch-sys's C++): a cold build is the cost of this test
            // in CI, and what is tested, finding libtorch, does not depend on it.
            .env("CARGO_PROFILE_DEV_DEBUG", "false");
        // This toolchain's rustc (rust-toolchain.toml's), not whatever rustup picks in /tmp.
        let rustc = cargo.with_file_name("rustc");
        if rustc.is_file() {
            cmd.env("RUSTC", rustc);
        }
        cmd
    }
}

/// `cmd` with the environment of a user who has only cargo: this build's cargo variables, the
/// set-up's libtorch settings and library path removed.
fn user_env(mut cmd: Command) -> Command {
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        let cargo_var = key.starts_with("CARGO") && key != "CARGO_HOME";
        let setup = key.starts_with("LIBTORCH") || key.starts_with("TYPED_TORCH");
        let flags = key.starts_with("RUSTFLAGS") || key.starts_with("RUSTDOCFLAGS");
        if cargo_var || setup || flags || key == "LD_LIBRARY_PATH" || key == "VIRTUAL_ENV" {
            cmd.env_remove(&*key);
        }
    }
    cmd
}

/// Runs one step; on failure, panics naming the step and showing cargo's whole output.
fn step(name: &str, cmd: &mut Command, vars: &[(&str, OsString)]) -> String {
    for (key, value) in vars {
        cmd.env(key, value);
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("step `{name}` could not start {cmd:?}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "step `{name}` failed ({}) with {vars:?}: {cmd:?}\n{text}",
        out.status
    );
    text
}

/// Where `scripts/setup.sh` keeps libtorch and the builds (`scripts/env.sh` computes the same).
fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("TYPED_TORCH_CACHE") {
        return dir.into();
    }
    match std::env::var_os("XDG_CACHE_HOME") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").expect("HOME is not set")).join(".cache"),
    }
    .join("typed-torch")
}

/// The libtorch `scripts/setup.sh` links into `.typed-torch/libtorch` (torch's package directory).
fn libtorch_dir() -> PathBuf {
    let link = Path::new(env!("CARGO_MANIFEST_DIR")).join(".typed-torch/libtorch");
    link.canonicalize()
        .unwrap_or_else(|e| panic!("{}: {e}; run scripts/setup.sh", link.display()))
}

/// The virtualenv with torch 2.13.0 behind `.typed-torch/python` (a wrapper script around it).
fn venv_dir() -> PathBuf {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join(".typed-torch/python");
    let out = Command::new(&python)
        .args(["-c", "import sys; print(sys.prefix)"])
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}; run scripts/setup.sh", python.display()));
    assert!(out.status.success(), "{}: {out:?}", python.display());
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}
