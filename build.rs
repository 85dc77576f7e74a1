//! Links the `dossier` binary as a position-dependent executable on Linux.
//!
//! A position-independent executable is relocated by the dynamic loader at every start: about
//! 51,000 relocations over a megabyte of tables (the detectors' and segmenters' static data),
//! every page of it copied on write. For a command that answers a search in a few
//! milliseconds that was a third of its start: `dossier --version` took 2.7 ms of CPU and 455
//! page faults, and takes 1.5 ms and 155 linked this way. The libraries it loads, its heap and
//! its stack are still placed at random addresses.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
