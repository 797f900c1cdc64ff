//! The part of a manifest that only a WebAssembly plugin has: its component file, the pin of
//! its bytes, its configuration, the capabilities it asks for, its limits and how its
//! instances are made.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The component file name used when a manifest names none.
pub const DEFAULT_COMPONENT_FILE: &str = "plugin.wasm";

/// What a manifest says about a WebAssembly plugin (a component, or a legacy core module
/// the host adapts into one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ComponentManifest {
    /// The component file, relative to the manifest.
    pub component: PathBuf,
    /// The SHA-256 the component's bytes must hash to, as 64 hex digits (either case); a
    /// component that does not is refused with
    /// [`Error::DigestMismatch`](crate::Error::DigestMismatch). Checked whatever the
    /// embedder's signature policy (see the [`signing`](crate::SignaturePolicy) docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Configuration values the plugin reads through the `config` import, as text.
    pub config: BTreeMap<String, String>,
    /// Capabilities the plugin asks for.
    pub capabilities: Capabilities,
    /// Limits the plugin asks for; the embedder caps each.
    pub limits: RequestedLimits,
    /// How instances are created.
    pub instances: Instances,
}

impl Default for ComponentManifest {
    fn default() -> Self {
        Self {
            component: default_component(),
            sha256: None,
            config: BTreeMap::new(),
            capabilities: Capabilities::default(),
            limits: RequestedLimits::default(),
            instances: Instances::default(),
        }
    }
}

impl ComponentManifest {
    /// The keys set to something other than their defaults, as the manifest spells them.
    pub(crate) fn keys_set(&self) -> Vec<&'static str> {
        let defaults = Self::default();
        [
            ("component", self.component != defaults.component),
            ("sha256", self.sha256.is_some()),
            ("config", !self.config.is_empty()),
            ("capabilities", self.capabilities != defaults.capabilities),
            ("limits", self.limits != defaults.limits),
            ("instances", self.instances != defaults.instances),
        ]
        .into_iter()
        .filter_map(|(key, set)| set.then_some(key))
        .collect()
    }

    /// Checks values that the TOML types alone do not constrain; the message names the key.
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.limits.memory_mib == Some(0) {
            return Err("key `limits.memory-mib` must be at least 1".into());
        }
        if self.limits.timeout_ms == Some(0) {
            return Err("key `limits.timeout-ms` must be at least 1".into());
        }
        if self.limits.max_instances == Some(0) {
            return Err("key `limits.max-instances` must be at least 1".into());
        }
        if self.limits.kv_max_keys == Some(0) {
            return Err("key `limits.kv-max-keys` must be at least 1".into());
        }
        if self.instances.pool_size == Some(0) {
            return Err("key `instances.pool-size` must be at least 1".into());
        }
        if let Some(pin) = &self.sha256 {
            if !is_sha256_hex(pin) {
                return Err("key `sha256` must be 64 hex digits (the component's SHA-256)".into());
            }
        }
        for key in &self.capabilities.env {
            if key.is_empty() || key.contains('=') || key.contains('\0') {
                return Err(format!(
                    "key `capabilities.env`: `{key}` is not a variable name"
                ));
            }
        }
        let mut guests = std::collections::BTreeSet::new();
        for dir in &self.capabilities.dirs {
            if !dir.guest.starts_with('/') {
                return Err(format!(
                    "key `capabilities.dirs`: guest path `{}` must be absolute",
                    dir.guest
                ));
            }
            // `/data` and `/data/` are one guest path.
            let trimmed = dir.guest.trim_end_matches('/');
            if !guests.insert(if trimmed.is_empty() { "/" } else { trimmed }) {
                return Err(format!(
                    "key `capabilities.dirs`: guest path `{}` is given twice",
                    dir.guest
                ));
            }
        }
        Ok(())
    }
}

pub(super) fn default_component() -> PathBuf {
    PathBuf::from(DEFAULT_COMPONENT_FILE)
}

/// Capabilities a manifest asks for. Nothing is granted unless asked for here and allowed by
/// the embedder's [`CapabilityPolicy`](crate::CapabilityPolicy).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Capabilities {
    /// Environment variable names the plugin reads.
    #[serde(default)]
    pub env: Vec<String>,
    /// Directories the plugin reads (never writes).
    #[serde(default)]
    pub dirs: Vec<DirRequest>,
}

/// A read-only directory a manifest asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DirRequest {
    /// The directory on the host; a relative path is relative to the manifest.
    pub host: PathBuf,
    /// Where the plugin sees it (an absolute guest path such as `/data`).
    pub guest: String,
}

/// Limits a manifest asks for. Absent values take the embedder's defaults; every value is
/// capped by the embedder's maximum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RequestedLimits {
    /// Linear memory, in MiB, summed over the instance's memories.
    pub memory_mib: Option<u64>,
    /// Wall-clock time per call, in milliseconds.
    pub timeout_ms: Option<u64>,
    /// Instances of this plugin alive at once (concurrent calls beyond it wait).
    pub max_instances: Option<u32>,
    /// Keys its key-value store may hold (contract 0.2's `kv`).
    pub kv_max_keys: Option<u64>,
    /// Bytes of keys and values its key-value store may hold.
    pub kv_max_bytes: Option<u64>,
    /// The longest value it may store, in bytes.
    pub kv_max_value_bytes: Option<u64>,
}

/// How a plugin's instances are created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Instances {
    /// Fresh per call or a pool of warm instances. Unset, the host chooses: fresh, except
    /// for Go-built legacy modules, whose runtime start-up makes warm instances the default.
    #[serde(default)]
    pub strategy: Option<InstanceStrategy>,
    /// Warm instances kept between calls when pooled.
    pub pool_size: Option<u32>,
}

/// How a plugin's instances are created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InstanceStrategy {
    /// A fresh instance for every call: no state survives a call.
    #[default]
    Fresh,
    /// Instances are kept warm and reused, for guests whose start-up is costly. State a
    /// plugin keeps in memory survives between calls; an instance that fails is discarded.
    Pooled,
}

pub(super) fn config_values<'de, D>(
    deserializer: D,
) -> std::result::Result<BTreeMap<String, String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let raw = BTreeMap::<String, toml::Value>::deserialize(deserializer)?;
    raw.into_iter()
        .map(|(key, value)| {
            let text = match value {
                toml::Value::String(text) => text,
                toml::Value::Integer(n) => n.to_string(),
                toml::Value::Float(x) => x.to_string(),
                toml::Value::Boolean(b) => b.to_string(),
                other => {
                    return Err(serde::de::Error::custom(format!(
                        "config key `{key}` is a {}; values must be strings, integers, floats or booleans",
                        other.type_str()
                    )))
                }
            };
            Ok((key, text))
        })
        .collect()
}

/// Whether `text` is a SHA-256 in hex (64 hex digits, either case).
pub(crate) fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
}
