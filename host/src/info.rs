//! What a loaded plugin is: its manifest's identity, and what its backend reports (the
//! component's size, imports, exports and compilation; a remote's endpoint).

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use mockforge_component_adapters::contract::ContractVersion;

use crate::limits::Limits;
use crate::manifest::UnmappedKey;
use crate::policy::Grant;
use crate::types::PluginKind;

/// What a plugin is, as loaded.
#[derive(Debug, Clone, Serialize)]
pub struct PluginInfo {
    /// The plugin's name from its manifest.
    pub name: String,
    /// Its version.
    pub version: String,
    /// Its kind, checked against its exports.
    pub kind: PluginKind,
    /// The WIT world it implements (for a remote plugin: the newest version's world of its
    /// kind, whose types its answers are read into).
    pub world: &'static str,
    /// The contract version a WebAssembly plugin implements (read from its exports); `None`
    /// for a remote plugin.
    #[serde(serialize_with = "contract_version")]
    pub contract: Option<ContractVersion>,
    /// Its description.
    pub description: String,
    /// The component file, when loaded from a path.
    pub path: Option<PathBuf>,
    /// The component's size in bytes.
    pub size_bytes: usize,
    /// The component's top-level imports.
    pub imports: Vec<String>,
    /// The component's top-level exports.
    pub exports: Vec<String>,
    /// The limits in force.
    pub limits: Limits,
    /// What it was granted.
    pub grant: Grant,
    /// Whether it was compiled now or loaded from the artifact cache.
    pub artifact: ArtifactSource,
    /// How long compiling or loading the compiled artifact took.
    pub load_time: Duration,
    /// Where a remote plugin is served; `None` for a WebAssembly plugin.
    pub endpoint: Option<String>,
    /// Where its manifest came from.
    pub manifest: ManifestOrigin,
    /// The keys of its `plugin.yaml` that have no effect here (empty for every other
    /// manifest); each is also logged as a warning when the plugin loads.
    pub unmapped_manifest_keys: Vec<UnmappedKey>,
}

/// Where a loaded plugin's manifest came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ManifestOrigin {
    /// Its `plugin.toml`.
    Toml,
    /// MockForge's `plugin.yaml`, mapped onto this host's manifest.
    MockForgeYaml,
    /// None: a bare `.wasm` run under default limits, its name from its file name and its
    /// kind from its exports ([`PluginHost::load_allowing_no_manifest`](crate::PluginHost::load_allowing_no_manifest)).
    None,
    /// Handed over by the embedder ([`PluginHost::load_bytes`](crate::PluginHost::load_bytes),
    /// [`PluginHost::load_remote`](crate::PluginHost::load_remote)).
    Embedder,
}

/// Where a component came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArtifactSource {
    /// Compiled now (and stored in the cache, when there is one).
    Compiled,
    /// Loaded from the compiled-artifact cache.
    Cache,
    /// Nothing compiled: a remote plugin, served over HTTP.
    Remote,
}

/// A contract version as its number (`"0.2.0"`), or null.
fn contract_version<S: serde::Serializer>(
    version: &Option<ContractVersion>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match version {
        Some(version) => serializer.serialize_str(version.as_str()),
        None => serializer.serialize_none(),
    }
}
