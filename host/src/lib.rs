//! A WebAssembly component-model host for MockForge plugins.
//!
//! Plugins are components that implement the WIT package `mockforge:plugin` (the `wit/`
//! folder of this repository, one folder per version): auth plugins decide who a request is,
//! response plugins produce or change mock responses. The host serves every released version
//! ([`ContractVersion::ALL`]) side by side: it tells them apart by the version of the
//! interfaces a component exports, runs each through that version's own bindings and hands
//! the embedder the newest types; a version it does not know is refused by name. The host loads them with wasmtime, runs every call under memory
//! and time limits, grants nothing (no files, no environment, no network) unless the
//! plugin's manifest asks and the embedder's policy allows, and reports every failure as a
//! typed [`Error`] naming the plugin. It keeps serving whatever a plugin does.
//!
//! ```no_run
//! use mockforge_component_host::{AuthOutcome, HostConfig, PluginHost, Request};
//!
//! # async fn run() -> Result<(), mockforge_component_host::Error> {
//! let host = PluginHost::new(HostConfig::default())?;
//! let plugin = host.load("target/plugins/auth-jwt").await?;
//! let request = Request::new("GET", "/orders?page=2").with_header("authorization", "Bearer ...");
//! match plugin.authenticate(request).await? {
//!     AuthOutcome::Allow(identity) => println!("hello {}", identity.subject),
//!     AuthOutcome::Deny(denial) => println!("{} {}", denial.status, denial.reason),
//!     AuthOutcome::Abstain => println!("not this plugin's scheme"),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Manifests
//!
//! A plugin's folder holds its component and a manifest: this host's `plugin.toml`
//! ([`Manifest`]), or MockForge's own `plugin.yaml`, whose keys with a meaning here are mapped
//! onto it and the others listed in [`PluginInfo::unmapped_manifest_keys`]
//! ([`Manifest::parse_yaml`]). A `.wasm` file with no manifest at all loads through
//! [`PluginHost::load_allowing_no_manifest`] under default limits, its kind read from its
//! exports ([`Manifest::bare`]); [`PluginInfo::manifest`] says which of these a plugin had.
//!
//! # Integrity and signatures
//!
//! A manifest may pin its component with `sha256 = "<64 hex digits>"`; a component that hashes
//! otherwise is refused ([`Error::DigestMismatch`]) under every policy. Plugins may be signed
//! with Ed25519 ([`sign_plugin`], `mfplugin sign`): `plugin.sig` beside `plugin.toml` (or
//! `plugin.yaml`) holds a signature over `"mockforge-plugin-signature-v1\0" ||
//! sha256(component) || sha256(manifest)` ([`SIGNATURE_DOMAIN`]) and the signing key's id. The manifest is
//! covered byte for byte, so that capability grants, limits, configuration or a remote
//! endpoint cannot be changed without re-signing. The embedder trusts keys
//! ([`HostConfig::trust_key`]) and chooses a [`SignaturePolicy`]: under
//! [`SignaturePolicy::Require`], unsigned plugins, signatures by keys not trusted and plugins
//! changed since signing are refused with [`Error::Signature`] naming the plugin and the
//! [`SignatureProblem`]; plugins handed over as bytes ([`PluginHost::load_bytes`],
//! [`PluginHost::load_remote`]) carry no signature and are refused too. Both checks run on
//! the bytes as read, before the artifact cache or the compiler sees them. [`verify_plugin`]
//! (`mfplugin verify`) checks a plugin as such a host would, without compiling it.
//!
//! # How the crate is laid out
//!
//! A plugin is either a WebAssembly component or a remote service; [`Plugin`] is the one
//! handle for both. The modules form three layers, each using only those before it (the
//! test `tests/layering.rs` fails on a cycle or a layer crossed the wrong way):
//!
//! 1. **Data**: what plugins and embedders exchange and configure: `types`, `request` and
//!    `headers` and `claims` (the values), `manifest` (a [`Manifest`] is a component or a remote
//!    service), `error`, `limits`, `metrics`, `answer` (every answer's validation),
//!    `operation` (the three calls as types), `host_config`, `policy`, `budget`,
//!    `output_caps`, `signing`, `source` (a plugin as read from files), `info`, `inspect`.
//! 2. **Backends**: `component` (bindings and their conversions, engine, cache, pool,
//!    instance, store, stdio, one file per imported WIT interface) and `remote` (the HTTP
//!    client, its breaker and wire format). Each runs the three operations its own way.
//! 3. **Facade**: `backend` (the enum of the two, dispatching each call once), [`Plugin`]
//!    (kind check, answer validation and metrics, once for every backend) and
//!    [`PluginHost`] (reading, verifying and loading).
#![deny(missing_docs)]

// The layers, each depending only on those above it (a test checks this: tests/layering.rs).
// Pure data: what plugins and embedders exchange and configure.
mod answer;
mod budget;
mod claims;
mod error;
mod files;
mod headers;
mod host_config;
mod info;
mod inspect;
mod limits;
mod manifest;
mod metrics;
mod operation;
mod output_caps;
mod policy;
mod request;
mod signing;
mod source;
mod types;
// The two backends.
mod component;
mod remote;
// The facade: what embedders call.
mod backend;
mod host;
mod plugin;

pub use answer::{
    AnswerLimits, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_HEADERS, DEFAULT_MAX_HEADER_BYTES,
    DEFAULT_MAX_IDENTITY_BYTES, DEFAULT_MAX_IDENTITY_ENTRIES, DEFAULT_MAX_REASON_BYTES,
};
pub use budget::{
    CompileBudget, DEFAULT_MAX_COMPONENT_BYTES, DEFAULT_MAX_FUNCTIONS,
    DEFAULT_MAX_FUNCTION_BODY_BYTES, DEFAULT_MAX_NESTING_DEPTH,
};
pub use component::cache::KEY_FILE;
pub use component::engine::AllocatorInUse;
pub use error::{report, BoxError, Error, ErrorKind, Fault, Result, MAX_ERROR_MESSAGE_BYTES};
pub use files::MAX_MANIFEST_BYTES;
pub use headers::{Headers, NonUtf8Header};
pub use host::PluginHost;
pub use host_config::{
    default_cache_dir, Allocation, HostConfig, Profiler, DEFAULT_EPOCH_TICK, DEFAULT_INSTANCE_SLOTS,
};
pub use info::{ArtifactSource, ManifestOrigin, PluginInfo};
pub use inspect::{inspect, BinaryKind};
pub use limits::{
    KvLimits, LimitCaps, Limits, DEFAULT_KV_MAX_BYTES, DEFAULT_KV_MAX_KEYS,
    DEFAULT_KV_MAX_VALUE_BYTES, DEFAULT_MAX_INSTANCES, DEFAULT_MEMORY_MIB, DEFAULT_POOL_SIZE,
    DEFAULT_TIMEOUT, KV_MAX_KEY_BYTES, MAX_INSTANCES, MAX_KV_BYTES, MAX_KV_KEYS, MAX_MEMORY_MIB,
    MAX_TABLE_ELEMENTS, MAX_TIMEOUT,
};
pub use manifest::remote::{
    HttpVersion, OnUnavailable, RemoteSettings, DEFAULT_BACKOFF, DEFAULT_BACKOFF_MAX,
    DEFAULT_BREAKER_COOLDOWN, DEFAULT_BREAKER_FAILURES, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_HEALTH_INTERVAL, DEFAULT_MAX_CONCURRENCY, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_REMOTE_TIMEOUT, DEFAULT_RETRIES, MAX_RESPONSE_BYTES, MAX_RETRIES,
};
pub use manifest::{
    Capabilities, ComponentManifest, DirRequest, InstanceStrategy, Instances, Manifest,
    ManifestBackend, RequestedLimits, UnmappedKey, YamlManifest, DEFAULT_COMPONENT_FILE,
    MANIFEST_FILE, YAML_MANIFEST_FILE,
};
pub use metrics::{
    ArtifactCacheMetrics, BreakerState, LatencyHistogram, MetricsSnapshot, RemoteMetrics,
    LATENCY_BUCKETS_US,
};
pub use mockforge_component_adapters::contract::ContractVersion;
pub use output_caps::{
    OutputLimits, DEFAULT_MAX_LOG_BYTES, DEFAULT_MAX_LOG_FIELDS, DEFAULT_MAX_LOG_RECORDS,
    DEFAULT_MAX_OUTPUT_BYTES, LOG_TARGET,
};
pub use plugin::Plugin;
pub use policy::{CapabilityPolicy, Grant};
pub use remote::FAIL_OPEN_SUBJECT;
pub use request::Request;
pub use signing::{
    sign_plugin, signature_path, verify_plugin, KeyError, PrivateKey, PublicKey, SignaturePolicy,
    SignatureProblem, Tampered, VerifiedSignature, MAX_SIGNATURE_FILE_BYTES, PRIVATE_KEY_PREFIX,
    PUBLIC_KEY_PREFIX, SIGNATURE_DOMAIN, SIGNATURE_EXTENSION, SIGNATURE_FORMAT,
};
pub use source::{find_manifest, manifest_path, FoundManifest};
pub use types::{AuthOutcome, Claims, Denial, Identity, PluginError, PluginKind, Response};

/// The wasmtime this host is built on, so that embedders use the same version.
pub use wasmtime;

/// The README's Rust examples, compiled as doc tests so that they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
