//! Hot reload: the plugin folders and the configuration file are watched (notify, debounced);
//! a change reloads off the request path. After each reload the watched folders follow the
//! configuration (a plugin added to it is watched from then on).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};

use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use crate::config::DEFAULT_RELOAD_DEBOUNCE;
use crate::state::Shared;

type Inner = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

/// Watches while it lives.
pub struct Watcher {
    _debouncer: Arc<Mutex<Inner>>,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Watcher")
    }
}

/// What is watched: the plugin folders, and the configuration file (through its folder, so
/// that a file replaced by rename is seen).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Watched {
    plugin_dirs: BTreeSet<PathBuf>,
    config_file: Option<PathBuf>,
}

impl Watched {
    fn of(shared: &Shared) -> Self {
        Self {
            plugin_dirs: shared
                .current()
                .plugins
                .iter()
                .map(|p| p.dir.clone())
                .collect(),
            config_file: shared.config_path.clone(),
        }
    }

    fn folders(&self) -> BTreeSet<PathBuf> {
        let mut folders = self.plugin_dirs.clone();
        if let Some(parent) = self.config_file.as_ref().and_then(|f| f.parent()) {
            folders.insert(parent.to_owned());
        }
        folders
    }

    /// Whether a change at `path` can change what is served.
    fn matters(&self, path: &Path) -> bool {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.ends_with(".swp") || name.ends_with('~') || name.starts_with(".#") {
            return false;
        }
        self.config_file.as_deref() == Some(path)
            || path
                .parent()
                .is_some_and(|dir| self.plugin_dirs.contains(dir))
    }
}

impl Watcher {
    /// Starts watching what the current generation uses. Each burst of relevant changes
    /// triggers one reload.
    pub fn start(shared: &Arc<Shared>) -> notify::Result<Self> {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<()>(1);
        let watched = Arc::new(Mutex::new(Watched::of(shared)));
        let filter = Arc::clone(&watched);
        let debouncer = new_debouncer(
            DEFAULT_RELOAD_DEBOUNCE,
            None,
            move |result: DebounceEventResult| {
                let watched = filter.lock().unwrap_or_else(|e| e.into_inner()).clone();
                let relevant = match &result {
                    Ok(events) => events
                        .iter()
                        .any(|e| !e.kind.is_access() && e.paths.iter().any(|p| watched.matters(p))),
                    Err(_) => true,
                };
                if relevant {
                    // A reload already queued covers this change too.
                    let _ = tx.try_send(());
                }
            },
        )?;
        let debouncer = Arc::new(Mutex::new(debouncer));
        let initial = watched.lock().unwrap_or_else(|e| e.into_inner()).clone();
        follow(&debouncer, &Watched::default(), &initial)?;

        let weak: Weak<Shared> = Arc::downgrade(shared);
        let handle = Arc::clone(&debouncer);
        tokio::spawn(async move {
            while rx.recv().await.is_some() {
                let Some(shared) = weak.upgrade() else { break };
                if shared.reload().await.is_ok() {
                    let now = Watched::of(&shared);
                    let before = std::mem::replace(
                        &mut *watched.lock().unwrap_or_else(|e| e.into_inner()),
                        now.clone(),
                    );
                    if let Err(e) = follow(&handle, &before, &now) {
                        tracing::warn!("cannot watch the new plugin folders: {e}");
                    }
                }
            }
        });
        Ok(Self {
            _debouncer: debouncer,
        })
    }
}

/// Watches the folders `now` needs and `before` did not, and stops watching the rest.
fn follow(debouncer: &Mutex<Inner>, before: &Watched, now: &Watched) -> notify::Result<()> {
    let mut debouncer = debouncer.lock().unwrap_or_else(|e| e.into_inner());
    let (old, new) = (before.folders(), now.folders());
    for gone in old.difference(&new) {
        let _ = debouncer.unwatch(gone);
    }
    for added in new.difference(&old) {
        debouncer.watch(added, RecursiveMode::NonRecursive)?;
    }
    Ok(())
}
