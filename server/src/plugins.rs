//! The configured plugins as loaded: one loader for every kind of plugin folder (component,
//! legacy core module, `[remote]` manifest), and reuse of what did not change on a reload.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use mockforge_component_host::{Plugin, PluginHost};
use mockforge_component_http::{
    Breaker, BreakerSettings, ChainPlugin, ChainStats, FailurePolicy, PathScope,
};

use crate::config::{OnFailure, PluginEntry};

/// Files of a plugin folder read to know whether it changed, and how much of each.
const MAX_FINGERPRINT_FILES: usize = 64;
const MAX_FINGERPRINTED_BYTES: u64 = 256 << 20;

/// A configured plugin, loaded.
#[derive(Debug, Clone)]
pub struct LoadedPlugin {
    /// The entry it was loaded from.
    pub entry: PluginEntry,
    /// Its folder, resolved.
    pub dir: PathBuf,
    /// What its folder held when it was loaded.
    pub fingerprint: blake3::Hash,
    /// The plugin as the chains run it.
    pub chained: ChainPlugin,
}

/// The folder a `path` names: the path itself, or the folder of a `plugin.toml`.
pub fn plugin_dir(base: &Path, path: &Path) -> PathBuf {
    let full = base.join(path);
    if full.extension().is_some_and(|e| e == "toml") {
        full.parent().map(Path::to_owned).unwrap_or(full)
    } else {
        full
    }
}

/// A digest of the folder's regular files (names, sizes and contents), to tell whether a
/// plugin changed. Subfolders (a plugin's `data/`) are not read: their files are read by the
/// plugin at run time, through its grant.
pub fn fingerprint(dir: &Path) -> std::io::Result<blake3::Hash> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .collect();
    names.sort();
    names.truncate(MAX_FINGERPRINT_FILES);
    let mut hasher = blake3::Hasher::new();
    let mut budget = MAX_FINGERPRINTED_BYTES;
    for name in names {
        let file = std::fs::File::open(&name)?;
        let len = file.metadata()?.len();
        hasher.update(name.as_os_str().as_encoded_bytes());
        hasher.update(&len.to_le_bytes());
        let take = len.min(budget);
        budget -= take;
        std::io::copy(&mut std::io::Read::take(file, take), &mut hasher)?;
    }
    Ok(hasher.finalize())
}

fn breaker_settings(entry: &PluginEntry) -> BreakerSettings {
    BreakerSettings {
        failures: entry.breaker.failures,
        window: Duration::from_millis(entry.breaker.window_ms),
        cooldown: Duration::from_millis(entry.breaker.cooldown_ms),
    }
}

fn chain_plugin(
    plugin: Plugin,
    entry: &PluginEntry,
    breaker: Arc<Breaker>,
    stats: Arc<ChainStats>,
) -> ChainPlugin {
    ChainPlugin::new(plugin)
        .scope(PathScope::new(&entry.paths))
        .policy(match entry.on_failure {
            OnFailure::Closed => FailurePolicy::Closed,
            OnFailure::Open => FailurePolicy::Open,
        })
        .breaker(breaker)
        .stats(stats)
}

/// Loads `entries` (folders relative to `base`), reusing from `previous` every plugin whose
/// folder did not change (its breaker and counters carry over too). All or nothing: the first
/// plugin that fails to load is the error, naming its folder.
pub async fn load_all(
    host: &PluginHost,
    base: &Path,
    entries: &[PluginEntry],
    previous: &[LoadedPlugin],
) -> Result<Vec<LoadedPlugin>, String> {
    let mut loaded = Vec::with_capacity(entries.len());
    for entry in entries {
        let dir = plugin_dir(base, &entry.path);
        let fingerprint = {
            let folder = dir.clone();
            tokio::task::spawn_blocking(move || fingerprint(&folder))
                .await
                .map_err(|e| format!("{}: {e}", dir_name(&entry.path)))?
                .map_err(|e| format!("{}: cannot read the folder: {e}", dir.display()))?
        };
        let before = previous.iter().find(|p| p.dir == dir);
        let (breaker, stats) = match before {
            Some(p) if p.entry.breaker == entry.breaker => (
                Arc::clone(p.chained.breaker_handle()),
                Arc::clone(p.chained.stats_handle()),
            ),
            Some(p) => (
                Breaker::new(breaker_settings(entry)),
                Arc::clone(p.chained.stats_handle()),
            ),
            None => (Breaker::new(breaker_settings(entry)), Arc::default()),
        };
        let plugin = match before {
            Some(p) if p.fingerprint == fingerprint => p.chained.plugin().clone(),
            _ => host
                .load(&dir)
                .await
                .map_err(|e| format!("{}: {}", dir.display(), e.report()))?,
        };
        loaded.push(LoadedPlugin {
            entry: entry.clone(),
            chained: chain_plugin(plugin, entry, breaker, stats),
            dir,
            fingerprint,
        });
    }
    Ok(loaded)
}

fn dir_name(path: &Path) -> String {
    path.display().to_string()
}
