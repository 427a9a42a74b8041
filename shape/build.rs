//! Generates the impls that need one entry per number or per rank, from the few rules behind them:
//! the tables between `D<N>` and typenum numbers (`build/tables.rs`) and every per-rank shape impl,
//! plus the `for_each_rank!` macro through which code outside this crate expands over the same
//! ranks (`build/ranks.rs`). No other code lists ranks or numbers by hand.
#[path = "build/ranks.rs"]
mod ranks;
#[path = "build/tables.rs"]
mod tables;

fn main() {
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap());
    std::fs::write(out.join("dim_tables.rs"), tables::generate()).unwrap();
    std::fs::write(out.join("shape_ranks.rs"), ranks::generate()).unwrap();
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=build");
}
