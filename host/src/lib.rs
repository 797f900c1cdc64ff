//! A WebAssembly component-model host for MockForge plugins.
//!
//! Plugins are components that implement the WIT package `mockforge:plugin@0.1.0` (the `wit/`
//! folder of this repository): auth plugins decide who a request is, response plugins produce
//! or change mock responses. The host loads them with wasmtime, runs every call under memory
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
//! }
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

mod answer;
mod bindings;
mod budget;
mod cache;
mod engine;
mod error;
mod export_types;
mod files;
mod host;
mod host_config;
mod imports;
mod inspect;
mod instance;
mod limits;
mod manifest;
mod metrics;
mod output;
mod output_caps;
mod plugin;
mod policy;
mod remote;
mod request;
mod store;
mod types;

pub use answer::{
    AnswerLimits, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_HEADERS, DEFAULT_MAX_HEADER_BYTES,
    DEFAULT_MAX_IDENTITY_BYTES, DEFAULT_MAX_IDENTITY_ENTRIES, DEFAULT_MAX_REASON_BYTES,
};
pub use budget::{
    CompileBudget, DEFAULT_MAX_COMPONENT_BYTES, DEFAULT_MAX_FUNCTIONS,
    DEFAULT_MAX_FUNCTION_BODY_BYTES, DEFAULT_MAX_NESTING_DEPTH,
};
pub use cache::{default_cache_dir, ArtifactSource, KEY_FILE};
pub use engine::AllocatorInUse;
pub use error::{Error, ErrorKind, Fault, Result, MAX_ERROR_MESSAGE_BYTES};
pub use files::MAX_MANIFEST_BYTES;
pub use host::PluginHost;
pub use host_config::{
    Allocation, HostConfig, Profiler, DEFAULT_EPOCH_TICK, DEFAULT_INSTANCE_SLOTS,
};
pub use imports::log::LOG_TARGET;
pub use inspect::{inspect, BinaryKind};
pub use limits::{
    LimitCaps, Limits, DEFAULT_MAX_INSTANCES, DEFAULT_MEMORY_MIB, DEFAULT_POOL_SIZE,
    DEFAULT_TIMEOUT, MAX_INSTANCES, MAX_MEMORY_MIB, MAX_TABLE_ELEMENTS, MAX_TIMEOUT,
};
pub use manifest::{
    Capabilities, DirRequest, InstanceStrategy, Instances, Manifest, RequestedLimits,
    DEFAULT_COMPONENT_FILE, MANIFEST_FILE,
};
pub use metrics::{
    ArtifactCacheMetrics, LatencyHistogram, MetricsSnapshot, RemoteMetrics, LATENCY_BUCKETS_US,
};
pub use output_caps::{
    OutputLimits, DEFAULT_MAX_LOG_BYTES, DEFAULT_MAX_LOG_FIELDS, DEFAULT_MAX_LOG_RECORDS,
    DEFAULT_MAX_OUTPUT_BYTES,
};
pub use plugin::{Plugin, PluginInfo};
pub use policy::{CapabilityPolicy, Grant};
pub use remote::{
    BreakerState, HttpVersion, OnUnavailable, RemoteSettings, DEFAULT_BACKOFF, DEFAULT_BACKOFF_MAX,
    DEFAULT_BREAKER_COOLDOWN, DEFAULT_BREAKER_FAILURES, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_HEALTH_INTERVAL, DEFAULT_MAX_CONCURRENCY, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_REMOTE_TIMEOUT, DEFAULT_RETRIES, FAIL_OPEN_SUBJECT, MAX_RESPONSE_BYTES, MAX_RETRIES,
};
pub use request::Request;
pub use types::{AuthOutcome, Denial, Identity, PluginError, PluginKind, Response};

/// The wasmtime this host is built on, so that embedders use the same version.
pub use wasmtime;

/// The README's Rust examples, compiled as doc tests so that they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
