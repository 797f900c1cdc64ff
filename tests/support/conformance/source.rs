//! A way of obtaining a [`Plugin`] to run the vectors on (a component built from a guest
//! language, a legacy core module adapted at load, a remote plugin started as a process), and
//! what such a way can and cannot do.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

use mockforge_component_host::{ContractVersion, Plugin, PluginHost};

use super::vectors::{Case, ConfigChanges};

/// A future borrowing from its way (trait methods cannot be `async` and stay object safe).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// What a way can do that some vectors need. A case needing what its way cannot do is
/// skipped, counted and reported as skipped with the reason, never run or passed silently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// Cases may change the plugin's `[config]` (the way loads from a manifest it can edit;
    /// a remote plugin's configuration is its process's, not the manifest's).
    pub edits_config: bool,
}

impl Capabilities {
    /// Everything the vectors ask for.
    pub const ALL: Self = Self { edits_config: true };

    /// Why a way with these capabilities cannot run `case`, or `None` when it can.
    pub fn cannot_run(&self, case: &Case) -> Option<&'static str> {
        if !case.config.is_empty() && !self.edits_config {
            return Some("the case changes the manifest's [config], which this way does not read");
        }
        None
    }
}

/// Why a way did not give a plugin.
#[derive(Debug)]
pub enum ObtainError {
    /// The plugin is not there at all (not built, the wrong kind of binary): its remaining
    /// cases are not tried.
    Unavailable(String),
    /// Loading failed for this case (its configuration, say).
    Load(String),
}

/// One way of obtaining a plugin to run the conformance vectors on, through the host's public
/// API. Registered in [`super::registry`].
pub trait PluginSource {
    /// The name reports show and `$MOCKFORGE_LANGUAGES` selects it by: the guest language
    /// (`rust`, `go`) or, for a remote plugin, `<language>-remote`.
    fn name(&self) -> &str;

    /// What kind of way it is, for reports (`component`, `legacy core module, family G`).
    fn form(&self) -> String;

    /// What it can do.
    fn capabilities(&self) -> Capabilities {
        Capabilities::ALL
    }

    /// The contract version whose vectors this way runs: that of the plugins it gives, except
    /// for legacy modules, which run 0.1's (what the old conventions can do) although the
    /// adapters make them components of [`mockforge_component_adapters::ADAPTED_CONTRACT`].
    /// Remote plugins (whose protocol is 0.1's) give 0.1.
    fn contract(&self) -> ContractVersion {
        ContractVersion::V0_1
    }

    /// Whether it serves the vector plugin `plugin`: its vectors are then run on it.
    fn serves(&self, plugin: &str) -> bool;

    /// The folders or files under `guests/` (relative to the repository) that the plugins it
    /// serves among `vector_plugins` are built or run from: the example plugins it covers.
    fn guest_sources(&self, vector_plugins: &[String]) -> Vec<PathBuf>;

    /// Gets ready to give plugins (starts a process, say); called once, before the first
    /// [`obtain`](Self::obtain). An error fails every plugin of this way.
    fn prepare<'a>(&'a mut self, _host: &'a PluginHost) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async { Ok(()) })
    }

    /// The plugin `plugin` with the configuration changes `config`, loaded by `host`.
    fn obtain<'a>(
        &'a self,
        host: &'a PluginHost,
        plugin: &'a str,
        config: &'a ConfigChanges,
    ) -> BoxFuture<'a, Result<Plugin, ObtainError>>;
}
