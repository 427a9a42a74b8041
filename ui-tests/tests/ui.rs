//! The compile-error suite of typed-torch, run with `trybuild`.
//!
//! `tests/fail/<area>/*.rs` (areas: `ops`, `shapes`, `conv`, `nn`, `derive`, `options`, `losses`,
//! `tensors`, `recurrent`, `graph`, `functional`, `transformer`, `linalg`, `vision`, `distributed`) are small programs with a shape,
//! dtype or device mistake that must not compile; each `.stderr` next to them is the error a user sees, checked so that messages stay
//! readable (they name the op and show dims as `D<784>`). `tests/pass/*.rs` are programs that must
//! compile and run: mixed static/`Dyn` shapes, broadcasting, convolution sizes, the limits of
//! compile-time shape arithmetic. Refresh snapshots with
//! `TRYBUILD=overwrite cargo test -p typed-torch-ui-tests`.

#[test]
fn ui() {
    libtorch_on_library_path();
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/fail/*/*.rs");
    t.pass("tests/pass/*.rs");
}

/// trybuild runs the pass cases with `cargo run` from its own project directory, where the
/// `LD_LIBRARY_PATH` that `.cargo/config.toml` sets does not apply (the variable is already set by
/// the cargo running this test, and `[env]` does not override). Put libtorch's `lib` on it here.
fn libtorch_on_library_path() {
    let libtorch = std::env::var("LIBTORCH")
        .ok()
        .or_else(|| option_env!("LIBTORCH").map(str::to_string));
    let Some(libtorch) = libtorch else { return };
    let lib = std::path::Path::new(&libtorch).join("lib");
    let mut paths = vec![lib];
    if let Some(old) = std::env::var_os("LD_LIBRARY_PATH") {
        paths.extend(std::env::split_paths(&old));
    }
    if let Ok(joined) = std::env::join_paths(paths) {
        std::env::set_var("LD_LIBRARY_PATH", joined);
    }
}
