//! The plugin host: what loads plugins. It reads a plugin (files or bytes), checks its pin and
//! signature, and hands it to its backend: the component runtime (one engine, linker,
//! artifact cache and epoch ticker, shared by every component plugin) or the remote client.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use wasmtime::Engine;

use crate::backend::Backend;
use crate::component::engine::AllocatorInUse;
use crate::component::runtime::ComponentRuntime;
use crate::error::{Error, Result, NO_PLUGIN};
use crate::host_config::HostConfig;
use crate::info::ManifestOrigin;
use crate::manifest::{Manifest, ManifestBackend};
use crate::metrics::ArtifactCacheMetrics;
use crate::plugin::Plugin;
use crate::signing::check_source;
use crate::source::{read_source, ReadRules, Source, WithoutManifest};

/// Loads and runs plugins. Cheap to clone; clones share the engine.
#[derive(Clone)]
pub struct PluginHost {
    inner: Arc<HostInner>,
}

struct HostInner {
    config: HostConfig,
    components: Arc<ComponentRuntime>,
}

impl std::fmt::Debug for PluginHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginHost")
            .field("allocator", &self.inner.components.allocator())
            .finish_non_exhaustive()
    }
}

impl PluginHost {
    /// A host with `config`. Fails only when the engine or its ticker cannot be set up.
    pub fn new(config: HostConfig) -> Result<Self> {
        let components = Arc::new(ComponentRuntime::new(&config)?);
        Ok(Self {
            inner: Arc::new(HostInner { config, components }),
        })
    }

    /// The engine, for embedders that need wasmtime directly (it is re-exported as
    /// [`crate::wasmtime`]).
    pub fn engine(&self) -> &Engine {
        self.inner.components.engine()
    }

    /// The allocator in use (pooling, or on-demand after a fallback).
    pub fn allocator(&self) -> AllocatorInUse {
        self.inner.components.allocator()
    }

    /// The compiled-artifact cache folder in use: `None` when there is none (none configured,
    /// or the one configured was refused as not private: see
    /// [`HostConfig::cache_dir`](crate::HostConfig::cache_dir)).
    pub fn artifact_cache_dir(&self) -> Option<&Path> {
        self.inner.components.cache_dir()
    }

    /// The compiled-artifact cache's counters: hits, stores, and files rejected by a check.
    pub fn artifact_cache_metrics(&self) -> ArtifactCacheMetrics {
        self.inner.components.cache_metrics()
    }

    /// Whether a compiled artifact for these component bytes is in the cache, so that loading
    /// them will not compile (a CLI uses this to say what it is about to do).
    ///
    /// A legacy core module counts as cached when its adapted component is.
    pub fn is_cached(&self, bytes: &[u8]) -> bool {
        self.inner.components.is_cached(bytes)
    }

    /// Loads a plugin from `path`: its folder (holding `plugin.toml`, or MockForge's
    /// `plugin.yaml` when it has no `plugin.toml`), its manifest file, or its component file
    /// with the manifest beside it. A `plugin.yaml`'s keys that have no effect here are listed
    /// in [`PluginInfo::unmapped_manifest_keys`](crate::PluginInfo::unmapped_manifest_keys)
    /// and logged as warnings.
    pub async fn load(&self, path: impl AsRef<Path>) -> Result<Plugin> {
        self.load_path(path.as_ref(), WithoutManifest::Refuse).await
    }

    /// Loads a plugin as [`load`](Self::load) does, and also a `.wasm` file (or a folder's
    /// `plugin.wasm`) with no manifest beside it: that runs under default limits, with no
    /// configuration and no capabilities, named after its file and of the kind its exports
    /// say ([`Manifest::bare`]); its [`PluginInfo::manifest`](crate::PluginInfo::manifest)
    /// is [`ManifestOrigin::None`] and a warning is logged. For tools that run a file given
    /// by hand; a server's plugins should keep a manifest.
    pub async fn load_allowing_no_manifest(&self, path: impl AsRef<Path>) -> Result<Plugin> {
        self.load_path(path.as_ref(), WithoutManifest::RunBare)
            .await
    }

    async fn load_path(&self, path: &Path, without_manifest: WithoutManifest) -> Result<Plugin> {
        let path = path.to_owned();
        let rules = ReadRules {
            max_component_bytes: self.inner.config.budget.max_component_bytes,
            component_outside_plugin_folder: self.inner.config.component_outside_plugin_folder,
        };
        let source =
            tokio::task::spawn_blocking(move || read_source(&path, &rules, without_manifest))
                .await
                .map_err(|e| Error::host_caused(NO_PLUGIN, "reading the plugin failed", e))??;
        self.load_source(source).await
    }

    /// Loads a remote plugin, served over HTTP, from a manifest with a `[remote]` table.
    /// Nothing is sent until the first call or [`Plugin::probe`].
    pub async fn load_remote(&self, manifest: Manifest) -> Result<Plugin> {
        manifest.validate()?;
        if manifest.remote_settings().is_none() {
            return Err(Error::manifest(
                &manifest.name,
                "a remote plugin needs a `[remote]` table",
            ));
        }
        self.load_source(Source {
            manifest,
            bytes: Vec::new(),
            base: PathBuf::new(),
            path: None,
            manifest_file: None,
            origin: ManifestOrigin::Embedder,
            unmapped: Vec::new(),
        })
        .await
    }

    /// Loads a plugin from component bytes and a manifest; relative paths in the manifest
    /// (directories it asks for) resolve against `base`. A manifest with a `[remote]` table
    /// loads a remote plugin and takes no bytes.
    pub async fn load_bytes(
        &self,
        bytes: Vec<u8>,
        manifest: Manifest,
        base: impl Into<PathBuf>,
    ) -> Result<Plugin> {
        manifest.validate()?;
        self.load_source(Source {
            manifest,
            bytes,
            base: base.into(),
            path: None,
            manifest_file: None,
            origin: ManifestOrigin::Embedder,
            unmapped: Vec::new(),
        })
        .await
    }

    async fn load_source(&self, source: Source) -> Result<Plugin> {
        let config = &self.inner.config;
        // Bytes handed over by the embedder count against the same cap as files.
        let cap = config.budget.max_component_bytes;
        if source.bytes.len() as u64 > cap {
            return Err(Error::InvalidComponent {
                plugin: source.manifest.name.clone(),
                message: format!(
                    "{} bytes, over the cap of {cap} bytes (CompileBudget::max_component_bytes)",
                    source.bytes.len()
                ),
                source: None,
            });
        }
        // The sha256 pin and the signature policy, on the bytes as read: before the cache or
        // the compiler sees them.
        let Source {
            manifest,
            bytes,
            base,
            path,
            origin,
            unmapped,
            ..
        } = check_source(&config.signatures, source).await?;
        let (backend, info) = match &manifest.backend {
            ManifestBackend::Remote(settings) => {
                let (remote, info) = crate::remote::load(config, &manifest, settings, path)?;
                (Backend::Remote(remote), info)
            }
            ManifestBackend::Component(component) => {
                let (component, info) = self
                    .inner
                    .components
                    .load(config, &manifest, component, bytes, &base, path)
                    .await?;
                (Backend::Component(component), info)
            }
        };
        let mut info = info;
        info.manifest = origin;
        for key in &unmapped {
            tracing::warn!(
                plugin = %info.name,
                key = %key.key,
                "plugin.yaml key not used by this host: {}",
                key.reason
            );
        }
        info.unmapped_manifest_keys = unmapped;
        if origin == ManifestOrigin::None {
            tracing::warn!(
                plugin = %info.name,
                "no manifest: running {} as {} under default limits",
                info.path.as_deref().unwrap_or(Path::new("?")).display(),
                info.kind
            );
        }
        Ok(Plugin::new(info, backend))
    }
}
