//! What every component plugin of one host shares: the engine, the linker with WASI and the
//! plugin imports, the compiled-artifact cache and the epoch ticker; and loading a component
//! (or a legacy core module, adapted) into a [`ComponentBackend`].

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use mockforge_component_adapters::contract::ContractVersion;
use mockforge_component_adapters::{AdaptError, Classification, WarmInstances};
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::Engine;

use crate::component::bindings::{v0_1, v0_2, ExportIndices};
use crate::component::cache::{ArtifactCache, ArtifactKey, Lookup};
use crate::component::engine::{build_engine, AllocatorInUse, EpochTicker};
use crate::component::imports::insecure_seed;
use crate::component::instance::Template;
use crate::component::kv_store::KvStores;
use crate::component::memory_images;
use crate::component::store::{preopens, InstanceState, PluginContext};
use crate::component::ComponentBackend;
use crate::error::{Error, Result, NO_PLUGIN};
use crate::host_config::HostConfig;
use crate::info::{ArtifactSource, PluginInfo};
use crate::inspect::{inspect, BinaryKind};
use crate::limits::Limits;
use crate::manifest::{ComponentManifest, InstanceStrategy, Manifest};
use crate::metrics::{ArtifactCacheMetrics, CacheCounters};
use crate::types::PluginKind;

/// The engine, linker, cache and ticker of one host.
pub(crate) struct ComponentRuntime {
    engine: Engine,
    linker: Linker<InstanceState>,
    cache: Option<ArtifactCache>,
    cache_counters: CacheCounters,
    allocator: AllocatorInUse,
    /// Every plugin's key-value store, by name (a reload keeps its store).
    kv_stores: KvStores,
    _ticker: EpochTicker,
}

/// A compiled component, and what loading it found.
struct Compiled {
    component: Component,
    artifact: ArtifactSource,
    imports: Vec<String>,
    exports: Vec<String>,
    /// The contract version its exports implement.
    version: ContractVersion,
    /// The instance strategy when the manifest names none.
    default_strategy: InstanceStrategy,
    /// Why warm instances are unsound for this plugin, when they are: every call then gets a
    /// fresh instance whatever the manifest asks.
    warm_unsound: Option<String>,
}

impl ComponentRuntime {
    /// Sets up the engine for `config`. Fails only when the engine or its ticker cannot be
    /// set up.
    pub(crate) fn new(config: &HostConfig) -> Result<Self> {
        let (engine, allocator) = build_engine(config)
            .map_err(|e| Error::host_caused(NO_PLUGIN, "cannot set up the engine", e))?;
        let mut linker = Linker::new(&engine);
        let linking =
            |e: wasmtime::Error| Error::host_caused(NO_PLUGIN, "cannot set up the linker", e);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker).map_err(linking)?;
        insecure_seed::replace_wasi_seed(&mut linker).map_err(linking)?;
        // Every served version's imports, side by side: their names differ by version.
        v0_1::Plugin::add_to_linker::<_, HasSelf<InstanceState>>(&mut linker, |state| state)
            .map_err(linking)?;
        v0_2::Plugin::add_to_linker::<_, HasSelf<InstanceState>>(&mut linker, |state| state)
            .map_err(linking)?;
        let ticker = EpochTicker::start(&engine, config.epoch_tick)
            .map_err(|e| Error::host_caused(NO_PLUGIN, "cannot start the epoch ticker", e))?;
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
            engine,
            linker,
            cache,
            cache_counters: CacheCounters::default(),
            allocator,
            kv_stores: KvStores::default(),
            _ticker: ticker,
        })
    }

    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
    }

    pub(crate) fn allocator(&self) -> AllocatorInUse {
        self.allocator
    }

    pub(crate) fn cache_dir(&self) -> Option<&Path> {
        self.cache.as_ref().map(ArtifactCache::dir)
    }

    pub(crate) fn cache_metrics(&self) -> ArtifactCacheMetrics {
        self.cache_counters.snapshot()
    }

    /// Whether a compiled artifact for these bytes is in the cache.
    pub(crate) fn is_cached(&self, bytes: &[u8]) -> bool {
        self.cache
            .as_ref()
            .is_some_and(|cache| cache.path_for(&artifact_key(bytes)).is_file())
    }

    /// Loads the component (or legacy module) `bytes` of the plugin `manifest` describes;
    /// directories it asks for resolve against `base`.
    pub(crate) async fn load(
        self: &Arc<Self>,
        config: &HostConfig,
        manifest: &Manifest,
        component: &ComponentManifest,
        bytes: Vec<u8>,
        base: &Path,
        path: Option<std::path::PathBuf>,
    ) -> Result<(ComponentBackend, PluginInfo)> {
        let name = manifest.name.clone();
        let kind = manifest.kind;
        let size_bytes = bytes.len();
        let (grant, dirs) = config.policy.grant(&name, &component.capabilities, base)?;
        let preopens = preopens(&dirs).map_err(|e| Error::CapabilityDenied {
            plugin: name.clone(),
            capability: format!("a granted directory cannot be opened: {e}"),
        })?;
        let started = Instant::now();
        let compiled = if wasmparser::Parser::is_core_wasm(&bytes) {
            self.compile_legacy(config, &name, kind, bytes).await?
        } else {
            self.compile_component(config, &name, kind, bytes).await?
        };
        let load_time = started.elapsed();
        let mut limits = Limits::resolve(component, &config.caps, compiled.default_strategy);
        if let Some(why) = &compiled.warm_unsound {
            if limits.strategy == InstanceStrategy::Pooled {
                tracing::warn!(plugin = %name, "{why}: the manifest's pooled instances are not used");
                limits.strategy = InstanceStrategy::Fresh;
            }
        }
        let kv = self.kv_stores.of(&name, limits.kv);

        let pre = self
            .linker
            .instantiate_pre(&compiled.component)
            .map_err(|e| Error::UnsupportedImport {
                plugin: name.clone(),
                source: e.into(),
            })?;
        let version = compiled.version;
        let exports = ExportIndices::new(&pre, version, kind).map_err(|e| Error::WrongWorld {
            plugin: name.clone(),
            kind,
            expected: expected_exports(kind, version),
            found: compiled.exports.clone(),
            detail: crate::error::report(&*e),
        })?;

        let context = Arc::new(PluginContext {
            name: name.as_str().into(),
            config: component.config.clone(),
            grant: grant.clone(),
            limits,
            dirs,
            preopens,
            answers: config.answers,
            output: config.output,
            kv,
        });
        let info = PluginInfo {
            name,
            version: manifest.version.clone(),
            kind,
            world: kind.world(version),
            contract: Some(version),
            description: manifest.description.clone(),
            path,
            size_bytes,
            imports: compiled.imports,
            exports: compiled.exports,
            limits,
            grant,
            artifact: compiled.artifact,
            load_time,
            endpoint: None,
            // Set by the host from where the manifest came from.
            manifest: crate::info::ManifestOrigin::Embedder,
            unmapped_manifest_keys: Vec::new(),
        };
        tracing::debug!(plugin = %info.name, artifact = ?info.artifact, ?load_time, "plugin loaded");
        let template = Template {
            pre,
            exports,
            context,
        };
        Ok((ComponentBackend::new(template), info))
    }

    /// A component: its export names checked before compiling (compiling a large component
    /// takes seconds), then compiled or loaded from the cache.
    async fn compile_component(
        self: &Arc<Self>,
        config: &HostConfig,
        name: &str,
        kind: PluginKind,
        bytes: Vec<u8>,
    ) -> Result<Compiled> {
        let (imports, exports) = classify(name, &bytes)?;
        let version = check_exports(name, kind, &exports)?;
        let prepare = Prepare::Component {
            kind,
            version,
            exports: exports.clone(),
        };
        let (component, artifact) = self.compile(config, name, bytes, prepare).await?;
        Ok(Compiled {
            component,
            artifact,
            imports,
            exports,
            version,
            default_strategy: InstanceStrategy::Fresh,
            warm_unsound: None,
        })
    }

    /// A legacy core module: classified (cheap: it reads the export section), then its
    /// adapted component from the cache, keyed by the module's bytes and the adapters'
    /// fingerprint, so that a cached load skips the adaptation too; adapted and compiled
    /// otherwise. The adapters say which instances its family wants by default.
    async fn compile_legacy(
        self: &Arc<Self>,
        config: &HostConfig,
        name: &str,
        kind: PluginKind,
        bytes: Vec<u8>,
    ) -> Result<Compiled> {
        let legacy = match mockforge_component_adapters::classify(&bytes) {
            Ok(Classification::Legacy(legacy)) => legacy,
            Ok(Classification::Component) => {
                return Err(Error::host(name, "a component was taken for a core module"))
            }
            Err(err) => return Err(adapt_error(name, err)),
        };
        let warm = legacy.warm_instances();
        let default_strategy = match warm {
            WarmInstances::Preferred => InstanceStrategy::Pooled,
            WarmInstances::Allowed | WarmInstances::Unsound => InstanceStrategy::Fresh,
        };
        let warm_unsound = (warm == WarmInstances::Unsound).then(|| {
            format!(
                "the WASI adapter's memory is {} and a Go heap claims such pages: {warm}",
                legacy.adapter_memory
            )
        });
        let (component, artifact) = self
            .compile(config, name, bytes, Prepare::Legacy(legacy))
            .await?;
        let (imports, exports) = component_names(&self.engine, &component);
        let version = check_exports(name, kind, &exports)?;
        Ok(Compiled {
            component,
            artifact,
            imports,
            exports,
            version,
            default_strategy,
            warm_unsound,
        })
    }

    /// The compiled component of `bytes`, from the cache when it holds one; otherwise checked
    /// (the compile budget; a component's export types against the WIT) and compiled from
    /// `bytes` itself, or from what a legacy module's adaptation makes of them. On a blocking
    /// thread: hashing a large component for its cache key takes milliseconds, compiling it
    /// seconds.
    async fn compile(
        self: &Arc<Self>,
        config: &HostConfig,
        name: &str,
        bytes: Vec<u8>,
        prepare: Prepare,
    ) -> Result<(Component, ArtifactSource)> {
        let runtime = self.clone();
        let budget = config.budget;
        let plugin = name.to_owned();
        tokio::task::spawn_blocking(move || {
            let engine = &runtime.engine;
            let key = artifact_key(&bytes);
            if let Some(cache) = &runtime.cache {
                match cache.load(engine, &key) {
                    Lookup::Hit(component) => {
                        runtime.cache_counters.hit();
                        memory_images::prepare(&plugin, &component)?;
                        return Ok((component, ArtifactSource::Cache));
                    }
                    Lookup::Rejected => runtime.cache_counters.rejected(),
                    Lookup::Miss => {}
                }
            }
            let adapted = match prepare {
                Prepare::Legacy(legacy) => Some(
                    mockforge_component_adapters::adapt_legacy(&bytes, &legacy)
                        .map_err(|err| adapt_error(&plugin, err))?,
                ),
                Prepare::Component {
                    kind,
                    version,
                    exports,
                } => {
                    budget.check(&plugin, &bytes)?;
                    let expected = expected_exports(kind, version);
                    if let Some(detail) = crate::component::export_types::mismatch(
                        &plugin, &bytes, version, &expected,
                    )? {
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
                    budget.check(&plugin, adapted)?;
                    adapted
                }
                None => &bytes,
            };
            let component = Component::new(engine, bytes).map_err(|e| Error::InvalidComponent {
                plugin: plugin.clone(),
                message: "cannot compile it".into(),
                source: Some(e.into()),
            })?;
            if let Some(cache) = &runtime.cache {
                match cache.store(&key, &component) {
                    Ok(()) => runtime.cache_counters.stored(),
                    Err(err) => tracing::warn!(plugin, "cannot store the compiled artifact: {err}"),
                }
            }
            memory_images::prepare(&plugin, &component)?;
            Ok((component, ArtifactSource::Compiled))
        })
        .await
        .map_err(|e| Error::host_caused(name, "compiling failed", e))?
    }
}

/// What to do with bytes before they are compiled.
enum Prepare {
    /// A component: check it against the budget and the WIT of `kind` at `version`, whose
    /// export names (`exports`) were checked already.
    Component {
        kind: PluginKind,
        version: ContractVersion,
        exports: Vec<String>,
    },
    /// A legacy core module, classified: adapt it into a component.
    Legacy(mockforge_component_adapters::Legacy),
}

/// The artifact cache's key for `bytes`: the bytes of a component; for a legacy core module,
/// its bytes and the fingerprint of the adapters that wrap it.
fn artifact_key(bytes: &[u8]) -> ArtifactKey {
    if !wasmparser::Parser::is_core_wasm(bytes) {
        return ArtifactKey::of(&[bytes]);
    }
    let tag = format!("\0adapted by {}", mockforge_component_adapters::FINGERPRINT);
    ArtifactKey::of(&[bytes, tag.as_bytes()])
}

fn adapt_error(name: &str, err: AdaptError) -> Error {
    match err {
        err @ AdaptError::Internal(_) => {
            Error::host_caused(name, "adapting the module failed", err)
        }
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
            source: None,
        }),
    }
}

fn expected_exports(kind: PluginKind, version: ContractVersion) -> Vec<String> {
    let mut expected = Vec::new();
    if kind.authenticates() {
        expected.push(version.auth_interface().to_owned());
    }
    if kind.responds() {
        expected.push(version.responder_interface().to_owned());
    }
    expected
}

/// The error for exports of a contract version not served, or of several.
fn wrong_version(name: &str, kind: PluginKind, exports: &[String], detail: String) -> Error {
    Error::WrongWorld {
        plugin: name.to_owned(),
        kind,
        expected: expected_exports(kind, ContractVersion::LATEST),
        found: exports.to_vec(),
        detail,
    }
}

/// The contract version the component's exports implement, checked by name against what
/// `kind` requires (the types are checked when the export indices are resolved): every
/// export of `mockforge:plugin` must be of one version this host serves.
fn check_exports(name: &str, kind: PluginKind, exports: &[String]) -> Result<ContractVersion> {
    let mut found: Option<ContractVersion> = None;
    for export in exports {
        match ContractVersion::of_name(export) {
            None => {}
            Some(Err(version)) => {
                return Err(wrong_version(
                    name,
                    kind,
                    exports,
                    format!(
                        "`{export}` is of contract version {version}; this host serves {}",
                        ContractVersion::supported()
                    ),
                ))
            }
            Some(Ok(version)) => match found {
                Some(other) if other != version => {
                    return Err(wrong_version(
                        name,
                        kind,
                        exports,
                        format!(
                            "exports of two contract versions ({} and {}); a plugin implements one",
                            other.as_str(),
                            version.as_str()
                        ),
                    ))
                }
                _ => found = Some(version),
            },
        }
    }
    // A component exporting nothing of ours is told what the newest version expects.
    let version = found.unwrap_or(ContractVersion::LATEST);
    let expected = expected_exports(kind, version);
    if expected.iter().all(|e| exports.contains(e)) {
        return Ok(version);
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
        let latest = ContractVersion::LATEST;
        let found = vec!["wasi:cli/run@0.2.6".to_string()];
        let err = check_exports("p", PluginKind::Both, &found).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(latest.auth_interface()) && text.contains(latest.responder_interface()),
            "{text}"
        );
        assert!(text.contains("wasi:cli/run@0.2.6"), "{text}");
        for version in ContractVersion::ALL {
            let only_auth = vec![version.auth_interface().to_string()];
            assert_eq!(
                check_exports("p", PluginKind::Auth, &only_auth).unwrap(),
                version
            );
            assert!(check_exports("p", PluginKind::Response, &only_auth).is_err());
        }
    }

    #[test]
    fn an_unknown_or_mixed_contract_version_is_refused_naming_it() {
        let unknown = vec!["mockforge:plugin/auth@0.9.0".to_string()];
        let err = check_exports("p", PluginKind::Auth, &unknown).unwrap_err();
        assert!(matches!(err, Error::WrongWorld { .. }), "{err}");
        let text = err.to_string();
        assert!(
            text.contains("mockforge:plugin/auth@0.9.0") && text.contains("0.1.0, 0.2.0"),
            "{text}"
        );
        let mixed = vec![
            ContractVersion::V0_1.auth_interface().to_string(),
            ContractVersion::V0_2.responder_interface().to_string(),
        ];
        let err = check_exports("p", PluginKind::Both, &mixed).unwrap_err();
        assert!(err.to_string().contains("two contract versions"), "{err}");
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
