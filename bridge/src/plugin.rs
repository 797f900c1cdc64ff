//! A plugin folder loaded by the host, as the one object that MockForge boxes as
//! `dyn AuthPlugin`, `dyn ResponsePlugin` or `dyn ResponseModifierPlugin`.

use std::collections::HashMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::{PoisonError, RwLock};

use mockforge_component_host::{
    manifest_path, Error, Manifest, Plugin, PluginHost, PluginInfo, PluginKind,
};
use mockforge_plugin_core::PluginError;
use serde_json::Value;

use crate::answer_cache::{AnswerCache, AnswerCacheLimits};
use crate::config::config_entries;
use crate::errors::plugin_error;

/// MockForge's default plugin priority (`AuthPluginConfig::default().priority`), reported
/// until `initialize` is given another.
pub const DEFAULT_PRIORITY: i32 = 100;

/// A component plugin (a component, a legacy core module or a remote plugin) loaded by a
/// [`PluginHost`], implementing MockForge's `AuthPlugin`, `ResponsePlugin` and
/// `ResponseModifierPlugin`.
///
/// Box it as the trait MockForge asks for; the plugin's manifest `kind` says which ones it
/// answers (an auth plugin's `generate_response` is an `ExecutionError` naming the plugin).
/// Calls may run concurrently from many tasks.
pub struct ComponentPlugin {
    host: PluginHost,
    /// What `host.load` was given: the plugin's folder, its `plugin.toml` or its component.
    source: PathBuf,
    /// The plugin as loaded from its files, with its manifest's `[config]`: what each
    /// `initialize` starts from.
    as_loaded: Plugin,
    /// The plugin as currently configured; `initialize` may replace it.
    current: RwLock<Current>,
    /// `respond`'s answers between MockForge's `can_handle` and `generate_response`.
    pub(crate) answers: AnswerCache,
}

/// The loaded plugin and what MockForge's last `initialize` said.
#[derive(Clone)]
struct Current {
    plugin: Plugin,
    priority: i32,
}

impl std::fmt::Debug for ComponentPlugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ComponentPlugin")
            .field("source", &self.source)
            .field("plugin", &self.plugin())
            .finish_non_exhaustive()
    }
}

impl ComponentPlugin {
    /// Loads the plugin at `path` (its folder, its `plugin.toml` or its component file, as
    /// [`PluginHost::load`] takes) with `host`. Failures are MockForge's [`PluginError`]s
    /// naming the plugin (see [`plugin_error`](crate::plugin_error)).
    pub async fn load(host: &PluginHost, path: impl AsRef<Path>) -> Result<Self, PluginError> {
        Self::load_with(host, path, AnswerCacheLimits::default()).await
    }

    /// [`load`](Self::load), with the bounds of the answer cache that carries a response
    /// from `can_handle` to `generate_response`.
    pub async fn load_with(
        host: &PluginHost,
        path: impl AsRef<Path>,
        answer_limits: AnswerCacheLimits,
    ) -> Result<Self, PluginError> {
        let source = path.as_ref().to_owned();
        let plugin = host.load(&source).await.map_err(plugin_error)?;
        Ok(Self::with_plugin(
            host.clone(),
            source,
            plugin,
            answer_limits,
        ))
    }

    /// Another bridge over the same plugin as loaded from its files (it shares the plugin's
    /// instances and metrics), with its own configuration and answer cache.
    pub(crate) fn sibling(&self) -> Self {
        Self::with_plugin(
            self.host.clone(),
            self.source.clone(),
            self.as_loaded.clone(),
            self.answers.limits(),
        )
    }

    fn with_plugin(
        host: PluginHost,
        source: PathBuf,
        plugin: Plugin,
        answer_limits: AnswerCacheLimits,
    ) -> Self {
        Self {
            host,
            source,
            as_loaded: plugin.clone(),
            current: RwLock::new(Current {
                plugin,
                priority: DEFAULT_PRIORITY,
            }),
            answers: AnswerCache::new(answer_limits),
        }
    }

    /// The host's plugin as currently configured (a cheap handle: clones share the plugin).
    pub fn plugin(&self) -> Plugin {
        self.current().plugin
    }

    /// What the plugin is: name, kind, limits, grants.
    pub fn info(&self) -> PluginInfo {
        self.current().plugin.info().clone()
    }

    /// The plugin's kind from its manifest.
    pub fn kind(&self) -> PluginKind {
        self.current().plugin.info().kind
    }

    /// The priority MockForge's last `initialize` gave ([`DEFAULT_PRIORITY`] before).
    pub fn priority(&self) -> i32 {
        self.current().priority
    }

    fn current(&self) -> Current {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Applies MockForge's `initialize`: `config` becomes the plugin's `[config]` (merged
    /// over the manifest's, MockForge's values winning; an earlier `initialize`'s values do
    /// not carry over) by loading the plugin again with it, and the plugin is instantiated
    /// once ([`Plugin::probe`]) so that a start-up failure surfaces here rather than on the
    /// first request. An empty `config` is the plugin as loaded, with its manifest's
    /// `[config]`, without loading it again.
    ///
    /// A remote plugin has no `[config]` (its service is configured where it runs): a
    /// non-empty `config` is a `ConfigurationError`. Under a
    /// [`SignaturePolicy::Require`](mockforge_component_host::SignaturePolicy::Require) host,
    /// a changed `[config]` is refused (a `SecurityViolation`): a signature covers the
    /// manifest as signed, and a plugin loaded with other configuration is not that plugin.
    pub(crate) async fn configure(
        &self,
        config: &HashMap<String, Value>,
        priority: i32,
    ) -> Result<(), PluginError> {
        let loaded = &self.as_loaded;
        let plugin = if config.is_empty() {
            loaded.clone()
        } else {
            self.reload_with(config_entries(loaded.name(), config)?, loaded)
                .await?
        };
        plugin.probe().await.map_err(plugin_error)?;
        *self.current.write().unwrap_or_else(PoisonError::into_inner) =
            Current { plugin, priority };
        Ok(())
    }

    /// Checks MockForge's configuration without applying it.
    pub(crate) fn check_config(&self, config: &HashMap<String, Value>) -> Result<(), PluginError> {
        let plugin = self.plugin();
        let entries = config_entries(plugin.name(), config)?;
        if !entries.is_empty() && plugin.info().endpoint.is_some() {
            return Err(remote_has_no_config(plugin.name()));
        }
        Ok(())
    }

    /// The plugin loaded again from its files, with `entries` over its manifest's `[config]`.
    async fn reload_with(
        &self,
        entries: std::collections::BTreeMap<String, String>,
        loaded: &Plugin,
    ) -> Result<Plugin, PluginError> {
        if loaded.info().endpoint.is_some() {
            return Err(remote_has_no_config(loaded.name()));
        }
        let component = loaded.info().path.clone().ok_or_else(|| {
            plugin_error(Error::Host {
                plugin: loaded.name().to_owned(),
                message: "the plugin was not loaded from a file, so it cannot be reloaded \
                          with MockForge's configuration"
                    .into(),
                source: None,
            })
        })?;
        let loaded_size = loaded.info().size_bytes;
        let manifest_path = manifest_path(&self.source);
        let (mut manifest, bytes) = tokio::task::spawn_blocking(move || {
            let manifest = Manifest::from_file(&manifest_path)?;
            let bytes = read_component(&manifest.name, &component, loaded_size)?;
            Ok::<_, Error>((manifest, bytes))
        })
        .await
        .map_err(|e| PluginError::InternalError {
            message: format!("plugin `{}`: reading its files: {e}", loaded.name()),
        })?
        .map_err(plugin_error)?;
        match manifest.component_mut() {
            Some(component) => component.config.extend(entries),
            None => return Err(remote_has_no_config(loaded.name())),
        }
        let base = manifest_dir(&self.source);
        self.host
            .load_bytes(bytes, manifest, base)
            .await
            .map_err(plugin_error)
    }
}

fn remote_has_no_config(plugin: &str) -> PluginError {
    PluginError::ConfigurationError {
        message: format!(
            "plugin `{plugin}` is a remote plugin, which takes no `[config]`: configure the \
             service where it runs"
        ),
    }
}

/// The folder relative paths in the manifest resolve against.
fn manifest_dir(source: &Path) -> PathBuf {
    manifest_path(source)
        .parent()
        .map(Path::to_owned)
        .unwrap_or_default()
}

/// The component's bytes, read from the path the host loaded it from (and so checked then).
/// The read is bounded: at most one byte more than the larger of the size loaded then and the
/// host's default cap, so that `load_bytes` sees an oversized file and refuses it by its own
/// cap without this reading all of it.
fn read_component(plugin: &str, path: &Path, loaded_size: usize) -> Result<Vec<u8>, Error> {
    let io_error = |error| Error::Io {
        plugin: plugin.to_owned(),
        path: path.to_owned(),
        error,
    };
    let file = std::fs::File::open(path).map_err(io_error)?;
    let cap = mockforge_component_host::DEFAULT_MAX_COMPONENT_BYTES.max(loaded_size as u64);
    let mut bytes = Vec::new();
    file.take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    Ok(bytes)
}
