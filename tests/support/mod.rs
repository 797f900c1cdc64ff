//! Shared helpers for the end-to-end tests: where the built plugins are, a host set up for
//! tests, log capture, and the conformance runner ([`conformance`]). Helpers the benchmarks
//! and the bridge's tests share too (tokens, child processes, temporary folders) are in
//! `mockforge-component-testkit`.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use mockforge_component_host::{HostConfig, Plugin, PluginHost};

pub mod conformance;

/// The folder `just build-guests` stages the Rust plugins into (`target/plugins/rust`), or
/// `$MOCKFORGE_PLUGINS_DIR`.
pub fn plugins_dir() -> PathBuf {
    std::env::var_os("MOCKFORGE_PLUGINS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/plugins/rust"))
}

/// Where `just build-guests` stages the plugins of `language`: `target/plugins/<language>`,
/// the Rust ones at [`plugins_dir`].
pub fn staged_language_dir(language: &str) -> PathBuf {
    if language == "rust" {
        return plugins_dir();
    }
    workspace_root().join("target/plugins").join(language)
}

/// The repository root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_owned()
}

/// The staged folder of plugin `name`; fails loudly when the guests were not built.
pub fn plugin_dir(name: &str) -> PathBuf {
    let dir = plugins_dir().join(name);
    assert!(
        dir.join("plugin.toml").is_file(),
        "plugin `{name}` is not built at {}: run `just build-guests` (or `just test`)",
        dir.display()
    );
    dir
}

/// A cache folder shared by the test binaries, so that each component compiles once per run.
pub fn shared_cache_dir() -> PathBuf {
    workspace_root().join("target/test-artifact-cache")
}

/// A host with default settings and the shared test cache.
pub fn host() -> PluginHost {
    host_with(HostConfig::default())
}

/// A host with `config` and the shared test cache.
pub fn host_with(config: HostConfig) -> PluginHost {
    PluginHost::new(config.cache_dir(Some(shared_cache_dir()))).expect("host starts")
}

/// Loads plugin `name` into a default test host.
pub async fn load(name: &str) -> Plugin {
    host()
        .load(plugin_dir(name))
        .await
        .unwrap_or_else(|e| panic!("loading {name}: {e}"))
}

/// Log lines captured from `tracing` by the subscriber [`captured_logs`] installs.
#[derive(Clone, Default)]
pub struct CapturedLogs(Arc<Mutex<Vec<u8>>>);

impl CapturedLogs {
    /// Everything captured so far in this test binary (tests run in parallel, so look for
    /// text only your test produces).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for CapturedLogs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs (once per test binary) a global subscriber that records every `tracing` event,
/// and returns its record. Global rather than per-thread: plugin calls run on any thread.
pub fn captured_logs() -> CapturedLogs {
    static LOGS: OnceLock<CapturedLogs> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = CapturedLogs::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("no other global subscriber");
        logs
    })
    .clone()
}
