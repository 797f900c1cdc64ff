//! Builds the translator component (`translator/`, wasm32-wasip2) and places it in `OUT_DIR`
//! for `include_bytes!`. It is its own cargo workspace with its own target folder, so the
//! nested cargo never waits on the lock of the build that runs this script.

use std::path::PathBuf;
use std::process::Command;

const TARGET: &str = "wasm32-wasip2";

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let translator = manifest_dir.join("translator");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap());
    for watched in [
        "translator/src",
        "translator/Cargo.toml",
        "translator/Cargo.lock",
    ] {
        println!("cargo:rerun-if-changed={watched}");
    }
    for wit in ["../wit", "../wit/legacy"] {
        println!("cargo:rerun-if-changed={wit}");
    }

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut build = Command::new(cargo);
    build
        .args(["build", "--release", "--locked", "--target", TARGET])
        .arg("--manifest-path")
        .arg(translator.join("Cargo.toml"))
        .current_dir(&translator);
    // What the outer build set for itself (a wrapper such as clippy-driver, host flags, its
    // target folder) must not leak into the guest build.
    for var in [
        "CARGO_TARGET_DIR",
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTFLAGS",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_BUILD_TARGET",
        "CARGO_MAKEFLAGS",
        "MAKEFLAGS",
        "MFLAGS",
    ] {
        build.env_remove(var);
    }
    let status = build.status().expect("cargo runs");
    assert!(
        status.success(),
        "building the translator failed; is the Rust target installed? \
         rustup target add {TARGET}"
    );
    let wasm = translator.join(format!(
        "target/{TARGET}/release/mockforge_legacy_translator.wasm"
    ));
    std::fs::copy(&wasm, out_dir.join("translator.wasm"))
        .unwrap_or_else(|e| panic!("copying {}: {e}", wasm.display()));
}
