//! The plugin host: one engine, one linker, the artifact cache and the epoch ticker, shared by
//! every plugin it loads.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use mockforge_component_adapters::{AdaptError, Classification, Family};
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::Engine;

use crate::bindings::{self, AuthIndices, ResponderIndices, AUTH_EXPORT, RESPONDER_EXPORT};
use crate::cache::{ArtifactCache, ArtifactKey, ArtifactSource, Lookup};
use crate::engine::{build_engine, AllocatorInUse, EpochTicker};
use crate::error::{Error, Result};
use crate::files::MAX_MANIFEST_BYTES;
use crate::host_config::HostConfig;
use crate::inspect::{inspect, BinaryKind};
use crate::instance::Template;
use crate::limits::Limits;
use crate::manifest::{InstanceStrategy, Manifest, MANIFEST_FILE};
use crate::metrics::{ArtifactCacheMetrics, CacheCounters};
use crate::plugin::{Plugin, PluginInfo};
use crate::signing::{check_source, ManifestFile};
use crate::store::{preopens, InstanceState, PluginContext};
use crate::types::PluginKind;

/// The name used in errors that concern no plugin in particular.
const HOST: &str = "<host>";

/// Loads and runs plugins. Cheap to clone; clones share the engine.
#[derive(Clone)]
pub struct PluginHost {
    inner: Arc<HostInner>,
}

struct HostInner {
    engine: Engine,
    linker: Linker<InstanceState>,
    config: HostConfig,
    cache: Option<ArtifactCache>,
    cache_counters: CacheCounters,
    allocator: AllocatorInUse,
    _ticker: EpochTicker,
}

impl std::fmt::Debug for PluginHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginHost")
            .field("allocator", &self.inner.allocator)
            .finish_non_exhaustive()
    }
}

/// A manifest's plugin bytes and where relative paths resolve.
pub(crate) struct Source {
    pub(crate) manifest: Manifest,
    pub(crate) bytes: Vec<u8>,
    pub(crate) base: PathBuf,
    pub(crate) path: Option<PathBuf>,
    /// The manifest file as read, for a plugin loaded from files (what a signature covers).
    pub(crate) manifest_file: Option<ManifestFile>,
}

impl PluginHost {
    /// A host with `config`. Fails only when the engine or its ticker cannot be set up.
    pub fn new(config: HostConfig) -> Result<Self> {
        let (engine, allocator) = build_engine(&config).map_err(|e| Error::host(HOST, e))?;
        let mut linker = Linker::new(&engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker).map_err(|e| Error::host(HOST, e))?;
        bindings::Plugin::add_to_linker::<_, HasSelf<InstanceState>>(&mut linker, |state| state)
            .map_err(|e| Error::host(HOST, e))?;
        let ticker =
            EpochTicker::start(&engine, config.epoch_tick).map_err(|e| Error::host(HOST, e))?;
        let cache = config.cache_dir.clone().and_then(|dir| {
            ArtifactCache::open(dir.clone(), &engine)
                .inspect_err(|why| {
                    tracing::warn!(
                        dir = %dir.display(),
                        "not using the compiled-artifact cache folder: {why}; \
                         components are compiled in memory on every load"
                    )
                })
                .ok()
        });
        Ok(Self {
            inner: Arc::new(HostInner {
                engine,
                linker,
                config,
                cache,
                cache_counters: CacheCounters::default(),
                allocator,
                _ticker: ticker,
            }),
        })
    }

    /// The engine, for embedders that need wasmtime directly (it is re-exported as
    /// [`crate::wasmtime`]).
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// The allocator in use (pooling, or on-demand after a fallback).
    pub fn allocator(&self) -> AllocatorInUse {
        self.inner.allocator
    }

    /// The compiled-artifact cache folder in use: `None` when there is none (none configured,
    /// or the one configured was refused as not private: see
    /// [`HostConfig::cache_dir`](crate::HostConfig::cache_dir)).
    pub fn artifact_cache_dir(&self) -> Option<&Path> {
        self.inner.cache.as_ref().map(ArtifactCache::dir)
    }

    /// The compiled-artifact cache's counters: hits, stores, and files rejected by a check.
    pub fn artifact_cache_metrics(&self) -> ArtifactCacheMetrics {
        self.inner.cache_counters.snapshot()
    }

    /// Whether a compiled artifact for these component bytes is in the cache, so that loading
    /// them will not compile (a CLI uses this to say what it is about to do).
    ///
    /// A legacy core module counts as cached when its adapted component is.
    pub fn is_cached(&self, bytes: &[u8]) -> bool {
        self.inner
            .cache
            .as_ref()
            .is_some_and(|cache| cache.path_for(&artifact_key(bytes)).is_file())
    }

    /// Loads a plugin from `path`: its folder (holding `plugin.toml`), its `plugin.toml`, or
    /// its component file with `plugin.toml` beside it.
    pub async fn load(&self, path: impl AsRef<Path>) -> Result<Plugin> {
        let path = path.as_ref().to_owned();
        let config = self.inner.config.clone();
        let source = tokio::task::spawn_blocking(move || read_source(&path, &config))
            .await
            .map_err(|e| Error::host(HOST, e))??;
        self.load_source(source).await
    }

    /// Loads a remote plugin, served over HTTP, from a manifest with a `[remote]` table.
    /// Nothing is sent until the first call or [`Plugin::probe`].
    pub async fn load_remote(&self, manifest: Manifest) -> Result<Plugin> {
        manifest.validate()?;
        if manifest.remote.is_none() {
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
        })
        .await
    }

    async fn load_source(&self, source: Source) -> Result<Plugin> {
        // Bytes handed over by the embedder count against the same cap as files.
        let cap = self.inner.config.budget.max_component_bytes;
        if source.bytes.len() as u64 > cap {
            return Err(Error::InvalidComponent {
                plugin: source.manifest.name.clone(),
                message: format!(
                    "{} bytes, over the cap of {cap} bytes (CompileBudget::max_component_bytes)",
                    source.bytes.len()
                ),
            });
        }
        // The sha256 pin and the signature policy, on the bytes as read: before the cache or
        // the compiler sees them.
        let source = check_source(&self.inner.config.signatures, source).await?;
        let Source {
            manifest,
            bytes,
            base,
            path,
            ..
        } = source;
        if manifest.remote.is_some() {
            return crate::remote::load(&self.inner.config, manifest, path);
        }
        let name = manifest.name.clone();
        let size_bytes = bytes.len();
        let (grant, dirs) = self
            .inner
            .config
            .policy
            .grant(&name, &manifest.capabilities, &base)?;
        let preopens = preopens(&dirs).map_err(|e| Error::CapabilityDenied {
            plugin: name.clone(),
            capability: format!("a granted directory cannot be opened: {e}"),
        })?;
        let started = Instant::now();
        let (component, artifact, imports, exports, default_strategy) =
            if wasmparser::Parser::is_core_wasm(&bytes) {
                self.load_legacy(&name, manifest.kind, &bytes).await?
            } else {
                let (imports, exports) = classify(&name, &bytes)?;
                // Refused before compiling: compiling a large component takes seconds.
                check_exports(&name, manifest.kind, &exports)?;
                let prepare = Prepare::Component {
                    kind: manifest.kind,
                    exports: exports.clone(),
                };
                let (component, artifact) = self.compile(&name, bytes, prepare).await?;
                (
                    component,
                    artifact,
                    imports,
                    exports,
                    InstanceStrategy::Fresh,
                )
            };
        let load_time = started.elapsed();
        let limits = Limits::resolve(&manifest, &self.inner.config.caps, default_strategy);

        let pre = self.inner.linker.instantiate_pre(&component).map_err(|e| {
            Error::UnsupportedImport {
                plugin: name.clone(),
                message: e.to_string(),
            }
        })?;
        let wrong_world = |e: wasmtime::Error| Error::WrongWorld {
            plugin: name.clone(),
            kind: manifest.kind,
            expected: expected_exports(manifest.kind),
            found: exports.clone(),
            detail: format!("{e:#}"),
        };
        let auth = match manifest.kind.authenticates() {
            true => Some(AuthIndices::new(&pre).map_err(wrong_world)?),
            false => None,
        };
        let responder = match manifest.kind.responds() {
            true => Some(ResponderIndices::new(&pre).map_err(wrong_world)?),
            false => None,
        };

        let context = Arc::new(PluginContext {
            name: name.as_str().into(),
            config: manifest.config.clone(),
            grant: grant.clone(),
            limits,
            dirs,
            preopens,
            answers: self.inner.config.answers,
            output: self.inner.config.output,
        });
        let info = PluginInfo {
            name,
            version: manifest.version,
            kind: manifest.kind,
            world: manifest.kind.world(),
            description: manifest.description,
            path,
            size_bytes,
            imports,
            exports,
            limits,
            grant,
            artifact,
            load_time,
            endpoint: None,
        };
        tracing::debug!(plugin = %info.name, artifact = ?artifact, ?load_time, "plugin loaded");
        Ok(Plugin::new(
            info,
            Template {
                pre,
                auth,
                responder,
                context,
            },
        ))
    }

    /// A legacy core module: classified (cheap: it reads the export section), then its adapted
    /// component from the cache, keyed by the module's bytes and the adapters' fingerprint, so
    /// that a cached load skips the adaptation too; adapted and compiled otherwise.
    async fn load_legacy(
        &self,
        name: &str,
        kind: PluginKind,
        bytes: &[u8],
    ) -> Result<(
        Component,
        ArtifactSource,
        Vec<String>,
        Vec<String>,
        InstanceStrategy,
    )> {
        let legacy = match mockforge_component_adapters::classify(bytes) {
            Ok(Classification::Legacy(legacy)) => legacy,
            Ok(Classification::Component) => {
                return Err(Error::host(name, "a component was taken for a core module"))
            }
            Err(err) => return Err(adapt_error(name, err)),
        };
        // Go's runtime takes ~0.5 ms to start: its plugins keep warm instances by default.
        let strategy = match legacy.family {
            Family::G => InstanceStrategy::Pooled,
            Family::J | Family::A => InstanceStrategy::Fresh,
        };
        let plugin = name.to_owned();
        let adapt: Adapt = Box::new(move |bytes| adapt_legacy(&plugin, bytes));
        let (component, artifact) = self
            .compile(name, bytes.to_vec(), Prepare::Legacy(adapt))
            .await?;
        let (imports, exports) = component_names(&self.inner.engine, &component);
        check_exports(name, kind, &exports)?;
        Ok((component, artifact, imports, exports, strategy))
    }

    /// The compiled component of `bytes`, from the cache when it holds one; otherwise checked
    /// (the compile budget; a component's export types against the WIT) and compiled from
    /// `bytes` itself, or from what a legacy module's adaptation makes of them. On a blocking
    /// thread: hashing a large component for its cache key takes milliseconds, compiling it
    /// seconds.
    async fn compile(
        &self,
        name: &str,
        bytes: Vec<u8>,
        prepare: Prepare,
    ) -> Result<(Component, ArtifactSource)> {
        let inner = self.inner.clone();
        let plugin = name.to_owned();
        tokio::task::spawn_blocking(move || {
            let engine = &inner.engine;
            let key = artifact_key(&bytes);
            if let Some(cache) = &inner.cache {
                match cache.load(engine, &key) {
                    Lookup::Hit(component) => {
                        inner.cache_counters.hit();
                        return Ok((component, ArtifactSource::Cache));
                    }
                    Lookup::Rejected => inner.cache_counters.rejected(),
                    Lookup::Miss => {}
                }
            }
            let adapted = match prepare {
                Prepare::Legacy(adapt) => Some(adapt(&bytes)?),
                Prepare::Component { kind, exports } => {
                    inner.config.budget.check(&plugin, &bytes)?;
                    let expected = expected_exports(kind);
                    if let Some(detail) = crate::export_types::mismatch(&plugin, &bytes, &expected)?
                    {
                        return Err(Error::WrongWorld {
                            plugin: plugin.clone(),
                            kind,
                            expected,
                            found: exports,
                            detail,
                        });
                    }
                    None
                }
            };
            let bytes = match adapted.as_deref() {
                Some(adapted) => {
                    inner.config.budget.check(&plugin, adapted)?;
                    adapted
                }
                None => &bytes,
            };
            let component = Component::new(engine, bytes).map_err(|e| Error::InvalidComponent {
                plugin: plugin.clone(),
                message: format!("{e:#}"),
            })?;
            if let Some(cache) = &inner.cache {
                match cache.store(&key, &component) {
                    Ok(()) => inner.cache_counters.stored(),
                    Err(err) => tracing::warn!(plugin, "cannot store the compiled artifact: {err}"),
                }
            }
            Ok((component, ArtifactSource::Compiled))
        })
        .await
        .map_err(|e| Error::host(name, e))?
    }
}

/// What to do with bytes before they are compiled.
enum Prepare {
    /// A component: check it against the budget and the WIT of `kind`, whose export names
    /// (`exports`) were checked already.
    Component {
        kind: PluginKind,
        exports: Vec<String>,
    },
    /// A legacy core module: adapt it into a component.
    Legacy(Adapt),
}

/// Reads the manifest and the component bytes for `path`: regular files only, within their
/// caps (the manifest [`MAX_MANIFEST_BYTES`], the component the budget's
/// `max_component_bytes`), the component inside the plugin's folder unless `config` allows
/// otherwise.
pub(crate) fn read_source(path: &Path, config: &HostConfig) -> Result<Source> {
    let manifest_path = if path.is_dir() {
        path.join(MANIFEST_FILE)
    } else if path.extension().is_some_and(|ext| ext == "toml") {
        path.to_owned()
    } else {
        path.with_file_name(MANIFEST_FILE)
    };
    let origin = path.display().to_string();
    let text = crate::files::read_file(&manifest_path, MAX_MANIFEST_BYTES, "MAX_MANIFEST_BYTES")
        .and_then(|bytes| String::from_utf8(bytes).map_err(std::io::Error::other))
        .map_err(|error| Error::Io {
            plugin: origin.clone(),
            path: manifest_path.clone(),
            error,
        })?;
    let manifest = Manifest::parse(&text, &origin)?;
    let base = manifest_path
        .parent()
        .map(Path::to_owned)
        .unwrap_or_default();
    let manifest_file = Some(ManifestFile {
        path: manifest_path.clone(),
        text,
    });
    if manifest.remote.is_some() {
        return Ok(Source {
            manifest,
            bytes: Vec::new(),
            base,
            path: Some(manifest_path),
            manifest_file,
        });
    }
    let from_manifest = path.is_dir() || manifest_path == path;
    let component = if from_manifest {
        base.join(&manifest.component)
    } else {
        path.to_owned()
    };
    let io_error = |error| Error::Io {
        plugin: manifest.name.clone(),
        path: component.clone(),
        error,
    };
    let file = if from_manifest && !config.component_outside_plugin_folder {
        if !crate::files::stays_inside(&manifest.component) {
            return Err(Error::manifest(
                &manifest.name,
                format!(
                    "key `component`: `{}` leads out of the plugin's folder (an absolute path \
                     or `..`); the host allows only files inside it",
                    manifest.component.display()
                ),
            ));
        }
        let base_dir = if base.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &base
        };
        crate::files::open_inside(base_dir, &manifest.component).map_err(io_error)?
    } else {
        crate::files::open(&component).map_err(io_error)?
    };
    let bytes = crate::files::read_capped(
        file,
        config.budget.max_component_bytes,
        "CompileBudget::max_component_bytes",
    )
    .map_err(io_error)?;
    Ok(Source {
        manifest,
        bytes,
        base,
        path: Some(component),
        manifest_file,
    })
}

/// Makes a legacy module's component.
type Adapt = Box<dyn FnOnce(&[u8]) -> Result<Vec<u8>> + Send>;

/// The artifact cache's key for `bytes`: the bytes of a component; for a legacy core module,
/// its bytes and the fingerprint of the adapters that wrap it.
fn artifact_key(bytes: &[u8]) -> ArtifactKey {
    if !wasmparser::Parser::is_core_wasm(bytes) {
        return ArtifactKey::of(&[bytes]);
    }
    let tag = format!("\0adapted by {}", mockforge_component_adapters::FINGERPRINT);
    ArtifactKey::of(&[bytes, tag.as_bytes()])
}

/// A legacy core module wrapped into a component by the adapters.
fn adapt_legacy(name: &str, bytes: &[u8]) -> Result<Vec<u8>> {
    match mockforge_component_adapters::adapt(bytes) {
        Ok(adapted) => Ok(adapted.component.into_owned()),
        Err(err) => Err(adapt_error(name, err)),
    }
}

fn adapt_error(name: &str, err: AdaptError) -> Error {
    match err {
        err @ AdaptError::Internal(_) => Error::host(name, err),
        err => Error::CoreModule {
            plugin: name.to_owned(),
            reason: err.to_string(),
        },
    }
}

/// The import and export names of a compiled component.
fn component_names(engine: &Engine, component: &Component) -> (Vec<String>, Vec<String>) {
    let ty = component.component_type();
    let imports = ty
        .imports(engine)
        .map(|(name, _)| name.to_owned())
        .collect();
    let exports = ty
        .exports(engine)
        .map(|(name, _)| name.to_owned())
        .collect();
    (imports, exports)
}

/// The component's imports and exports, or the error for bytes that are not a component.
fn classify(name: &str, bytes: &[u8]) -> Result<(Vec<String>, Vec<String>)> {
    match inspect(bytes) {
        Ok(BinaryKind::Component { imports, exports }) => Ok((imports, exports)),
        Ok(BinaryKind::CoreModule { exports, .. }) => Err(Error::CoreModule {
            plugin: name.to_owned(),
            reason: format!("exports found: [{}]", exports.join(", ")),
        }),
        Ok(BinaryKind::NotWasm { detail }) => Err(Error::NotWasm {
            plugin: name.to_owned(),
            detail,
        }),
        Err(message) => Err(Error::InvalidComponent {
            plugin: name.to_owned(),
            message,
        }),
    }
}

fn expected_exports(kind: PluginKind) -> Vec<String> {
    let mut expected = Vec::new();
    if kind.authenticates() {
        expected.push(AUTH_EXPORT.to_owned());
    }
    if kind.responds() {
        expected.push(RESPONDER_EXPORT.to_owned());
    }
    expected
}

/// Checks by name that the component exports what `kind` requires; the types are checked
/// when the export indices are resolved.
fn check_exports(name: &str, kind: PluginKind, exports: &[String]) -> Result<()> {
    let expected = expected_exports(kind);
    if expected.iter().all(|e| exports.contains(e)) {
        return Ok(());
    }
    Err(Error::WrongWorld {
        plugin: name.to_owned(),
        kind,
        expected,
        found: exports.to_vec(),
        detail: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_exports_name_expected_and_found() {
        let found = vec!["wasi:cli/run@0.2.6".to_string()];
        let err = check_exports("p", PluginKind::Both, &found).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(AUTH_EXPORT) && text.contains(RESPONDER_EXPORT),
            "{text}"
        );
        assert!(text.contains("wasi:cli/run@0.2.6"), "{text}");
        let only_auth = vec![AUTH_EXPORT.to_string()];
        assert!(check_exports("p", PluginKind::Auth, &only_auth).is_ok());
        assert!(check_exports("p", PluginKind::Response, &only_auth).is_err());
    }

    #[test]
    fn non_components_are_refused_by_kind() {
        assert!(matches!(
            classify("p", b"hello"),
            Err(Error::NotWasm { .. })
        ));
        let module = wat::parse_str("(module (func (export \"authenticate\")))").unwrap();
        let err = classify("p", &module).unwrap_err();
        assert!(matches!(err, Error::CoreModule { .. }));
        assert!(err.to_string().contains("authenticate"), "{err}");
    }
}
