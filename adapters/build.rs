//! Builds the translator and aborter components (`translator/`, a cargo workspace,
//! wasm32-wasip2) and places them in `OUT_DIR` for `include_bytes!`. It is its own cargo workspace with its own target folder, so the
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
        "translator/aborter/src",
        "translator/aborter/Cargo.toml",
        "translator/Cargo.lock",
    ] {
        println!("cargo:rerun-if-changed={watched}");
    }
    for wit in ["../wit/0.2.0", "../wit/legacy", "src"] {
        println!("cargo:rerun-if-changed={wit}");
    }

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut build = Command::new(cargo);
    build
        .args([
            "build",
            "--release",
            "--locked",
            "--workspace",
            "--target",
            TARGET,
        ])
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
    // What the adapters produce depends on these components and on the generator's source:
    // their fingerprint is part of the key under which hosts cache adapted plugins.
    let mut fingerprint = Fnv::default();
    for (artifact, name) in [
        ("mockforge_legacy_translator", "translator"),
        ("mockforge_legacy_aborter", "aborter"),
    ] {
        let wasm = translator.join(format!("target/{TARGET}/release/{artifact}.wasm"));
        let bytes =
            std::fs::read(&wasm).unwrap_or_else(|e| panic!("reading {}: {e}", wasm.display()));
        fingerprint.write(&bytes);
        std::fs::write(out_dir.join(format!("{name}.wasm")), bytes)
            .unwrap_or_else(|e| panic!("writing {name}.wasm: {e}"));
    }
    let mut sources: Vec<_> = std::fs::read_dir(manifest_dir.join("src"))
        .expect("adapters/src")
        .map(|entry| entry.expect("adapters/src entry").path())
        .collect();
    sources.sort();
    for path in sources
        .iter()
        .chain([&manifest_dir.join("../wit/legacy/bridge.wit")])
    {
        fingerprint.write(&std::fs::read(path).expect("source file"));
    }
    println!(
        "cargo:rustc-env=MOCKFORGE_ADAPTER_FINGERPRINT={:016x}",
        fingerprint.0
    );
}

/// FNV-1a, 64 bits: a stable fingerprint (std's hasher may change between Rust releases).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}
