//! Hot reload: the plugin folders and the configuration file are watched (notify, debounced);
//! a change reloads off the request path.

use std::path::PathBuf;
use std::sync::{Arc, Weak};

use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use crate::config::DEFAULT_RELOAD_DEBOUNCE;
use crate::state::Shared;

/// Watches while it lives.
pub struct Watcher {
    _debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Watcher")
    }
}

impl Watcher {
    /// Watches the current generation's plugin folders and the configuration file's folder
    /// (a file replaced by rename is seen there). Each burst of changes triggers one reload.
    pub fn start(shared: &Arc<Shared>) -> notify::Result<Self> {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<()>(1);
        let weak: Weak<Shared> = Arc::downgrade(shared);
        let config_file = shared.config_path.clone();
        let mut debouncer = new_debouncer(
            DEFAULT_RELOAD_DEBOUNCE,
            None,
            move |result: DebounceEventResult| {
                let relevant = match &result {
                    Ok(events) => events.iter().any(|e| {
                        !e.kind.is_access()
                            && e.paths.iter().any(|p| !is_noise(p, config_file.as_ref()))
                    }),
                    Err(_) => true,
                };
                if relevant {
                    // A reload already queued covers this change too.
                    let _ = tx.try_send(());
                }
            },
        )?;
        let generation = shared.current();
        let mut folders: Vec<PathBuf> = generation.plugins.iter().map(|p| p.dir.clone()).collect();
        if let Some(file) = &shared.config_path {
            if let Some(parent) = file.parent() {
                folders.push(parent.to_owned());
            }
        }
        folders.sort();
        folders.dedup();
        for folder in &folders {
            debouncer.watch(folder, RecursiveMode::NonRecursive)?;
        }
        tokio::spawn(async move {
            while rx.recv().await.is_some() {
                let Some(shared) = weak.upgrade() else { break };
                let _ = shared.reload().await;
            }
        });
        Ok(Self {
            _debouncer: debouncer,
        })
    }
}

/// Files whose changes never matter: editors' swap and backup files, and in the configuration
/// file's folder, every file but the configuration itself and plugin folders' contents.
fn is_noise(path: &std::path::Path, _config: Option<&PathBuf>) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.ends_with(".swp") || name.ends_with('~') || name.starts_with(".#")
}
