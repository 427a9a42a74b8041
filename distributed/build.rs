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
    println!("cargo:rerun-if-changed=shim/common.hpp");
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
    build
        .clone()
        .file("shim/c10d.cpp")
        .compile("typed_torch_c10d");
    println!("cargo:rustc-link-arg=-Wl,-rpath,{}", lib.display());

    // NCCL: where this libtorch has CUDA and NCCL's headers are at hand (the PyPI wheel's
    // nvidia-* packages have them), the NCCL backend is compiled too; elsewhere
    // `ProcessGroup::<Cuda<I>>::init_nccl` says it was built without.
    println!("cargo::rustc-check-cfg=cfg(typed_torch_nccl)");
    println!("cargo:rerun-if-changed=shim/nccl.cpp");
    println!("cargo:rerun-if-env-changed=TYPED_TORCH_NO_NCCL");
    if std::env::var_os("TYPED_TORCH_NO_NCCL").is_some() {
        return;
    }
    if let Some(cuda_includes) = nccl_includes(&lib) {
        let mut nccl = build;
        for dir in cuda_includes {
            nccl.include(dir);
        }
        nccl.define("USE_C10D_NCCL", None)
            .define("USE_CUDA", None)
            .file("shim/nccl.cpp")
            .compile("typed_torch_nccl");
        println!("cargo:rustc-link-lib=dylib=torch_cuda");
        println!("cargo:rustc-link-lib=dylib=c10_cuda");
        println!("cargo:rustc-cfg=typed_torch_nccl");
    }
}

/// The include directories NCCL's backend needs (nccl.h and the CUDA runtime's headers), if this
/// libtorch has CUDA (`libtorch_cuda.so`) and they can be found: `NCCL_INCLUDE_DIR` and
/// `CUDA_INCLUDE_DIR`, else the wheel's `nvidia/` packages beside `torch/`.
fn nccl_includes(lib: &Path) -> Option<Vec<PathBuf>> {
    println!("cargo:rerun-if-env-changed=NCCL_INCLUDE_DIR");
    println!("cargo:rerun-if-env-changed=CUDA_INCLUDE_DIR");
    if !lib.join("libtorch_cuda.so").exists() {
        return None;
    }
    let lib = lib.canonicalize().ok()?;
    let nvidia = lib.parent()?.parent()?.join("nvidia");
    let nccl = std::env::var_os("NCCL_INCLUDE_DIR")
        .map(PathBuf::from)
        .or_else(|| Some(nvidia.join("nccl/include")))
        .filter(|d| d.join("nccl.h").exists())?;
    let cuda = std::env::var_os("CUDA_INCLUDE_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            let mut found: Vec<PathBuf> = std::fs::read_dir(&nvidia)
                .ok()?
                .filter_map(|e| Some(e.ok()?.path().join("include")))
                .filter(|d| d.join("cuda_runtime_api.h").exists())
                .collect();
            found.sort();
            found.pop()
        })
        // The runtime package alone lacks `crt/` and `nv/` (setup installs them).
        .filter(|d| {
            d.join("cuda_runtime_api.h").exists()
                && d.join("crt/host_config.h").exists()
                && d.join("nv/target").exists()
        })?;
    Some(vec![nccl, cuda])
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
