//! What the CLI's end-to-end tests share: where the staged plugins are, the request file, and
//! running the real `mfplugin` binary with its own artifact cache.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The staged plugins of `language` (`$MOCKFORGE_PLUGINS_DIR` is the Rust ones; the others
/// are its siblings, else `target/plugins/<language>`).
pub fn staged_language(language: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned();
    let rust = std::env::var_os("MOCKFORGE_PLUGINS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/plugins/rust"));
    match language {
        "rust" => rust,
        _ => rust.parent().unwrap().join(language),
    }
}

/// A request with `authorization: Bearer good`.
pub fn request_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/request-good.json")
}

/// `mfplugin` with `args`, its artifact cache in `work/cache`.
pub fn mfplugin(work: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mfplugin"))
        .arg("--cache-dir")
        .arg(work.join("cache"))
        .args(args)
        .output()
        .expect("mfplugin runs")
}
