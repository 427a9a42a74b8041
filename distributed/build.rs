//! Compiles the c10d shim (`shim/c10d.cpp`) against the headers of the libtorch tch linked.
//!
//! libtorch's own c10d code (TCPStore, ProcessGroupGloo, ProcessGroupNCCL) is already in
//! `libtorch_cpu.so`/`libtorch_cuda.so`; the shim only needs headers. The PyTorch wheel ships
//! c10d's but not Gloo's, which come from Debian's `libgloo-dev` (installed by
//! `scripts/setup.sh`), or from `GLOO_INCLUDE_DIR`.
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=shim/c10d.cpp");
    println!("cargo:rerun-if-env-changed=GLOO_INCLUDE_DIR");
    // With tch's `doc-only` nothing links; there is no libtorch to compile against.
    let Some(lib) = std::env::var_os("DEP_TCH_LIBTORCH_LIB") else {
        return;
    };
    let lib = PathBuf::from(lib);
    let include = lib.parent().map(|p| p.join("include")).unwrap_or_default();
    let gloo = gloo_include();
    // torch-sys does not report the ABI; PyTorch wheels since 2.7 use the C++11 one.
    let abi = std::env::var("LIBTORCH_CXX11_ABI").unwrap_or_else(|_| "1".into());
    let mut build = cc::Build::new();
    build
        .cpp(true)
        .file("shim/c10d.cpp")
        .include(&include)
        .include(include.join("torch/csrc/api/include"))
        .flag("-std=c++17")
        .flag(format!("-D_GLIBCXX_USE_CXX11_ABI={abi}"))
        .flag("-DGLOG_USE_GLOG_EXPORT")
        // ProcessGroupGloo.hpp is empty without it.
        .define("USE_C10D_GLOO", None)
        .warnings(false);
    if let Some(gloo) = &gloo {
        build.include(gloo);
    }
    build.compile("typed_torch_c10d");
    println!("cargo:rustc-link-arg=-Wl,-rpath,{}", lib.display());
}

/// The directory holding `gloo/config.h`, or a build error saying how to get it.
fn gloo_include() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("GLOO_INCLUDE_DIR") {
        return Some(PathBuf::from(dir));
    }
    if Path::new("/usr/include/gloo/config.h").exists() {
        return None; // on the default include path
    }
    panic!(
        "typed-torch-distributed needs Gloo's C++ headers (the PyTorch wheel has libtorch's Gloo \
         code but not its headers): install Debian/Ubuntu's `libgloo-dev` \
         (`apt-get install libgloo-dev`, which scripts/setup.sh does), or set GLOO_INCLUDE_DIR to \
         a directory containing gloo/config.h"
    );
}
