//! The embedder's settings for a [`PluginHost`](crate::PluginHost): limit caps, capability
//! policy, cache folder, allocator. Every setting documents its default.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use crate::answer::AnswerLimits;
use crate::budget::CompileBudget;
use crate::limits::LimitCaps;
use crate::output_caps::OutputLimits;
use crate::policy::CapabilityPolicy;
use crate::signing::keys::PublicKey;
use crate::signing::policy::{SignaturePolicy, SignatureSettings};

/// Instance slots the pooling allocator reserves when the embedder names no number: enough
/// for a few plugins at their default concurrency, without reserving terabytes of address
/// space as the allocator's own default of 1,000 does.
pub const DEFAULT_INSTANCE_SLOTS: u32 = 256;

/// How often the epoch advances: the granularity of time limits, and how often a busy plugin
/// yields to the executor.
pub const DEFAULT_EPOCH_TICK: Duration = Duration::from_millis(1);

/// How instance memory is allocated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Allocation {
    /// A pool of pre-reserved slots: fresh instances in microseconds. Falls back to
    /// [`Allocation::OnDemand`] with a warning where the pool's virtual memory cannot be
    /// reserved (a low `ulimit -v`, say). The default.
    #[default]
    Pooling,
    /// Map memory per instance: slower to instantiate, no up-front reservation.
    OnDemand,
}

/// Which native profiler the plugins' compiled code is announced to, so that `perf` shows
/// plugin functions by name instead of bare addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profiler {
    /// None. The default.
    #[default]
    None,
    /// Write `/tmp/perf-<pid>.map` for `perf record`/`perf report`.
    PerfMap,
    /// Write a jitdump file for `perf record -k 1` and `perf inject --jit`.
    JitDump,
}

/// Settings for a [`PluginHost`](crate::PluginHost).
#[derive(Debug, Clone)]
pub struct HostConfig {
    pub(crate) caps: LimitCaps,
    pub(crate) policy: CapabilityPolicy,
    pub(crate) cache_dir: Option<PathBuf>,
    pub(crate) allocation: Allocation,
    pub(crate) instance_slots: u32,
    pub(crate) epoch_tick: Duration,
    pub(crate) profiler: Profiler,
    pub(crate) remote_secrets: BTreeMap<String, Secret>,
    pub(crate) budget: CompileBudget,
    pub(crate) component_outside_plugin_folder: bool,
    pub(crate) answers: AnswerLimits,
    pub(crate) output: OutputLimits,
    pub(crate) signatures: SignatureSettings,
}

/// A shared secret, kept out of `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(pub(crate) String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Default for HostConfig {
    fn default() -> Self {
        Self {
            caps: LimitCaps::default(),
            policy: CapabilityPolicy::default(),
            cache_dir: default_cache_dir(),
            allocation: Allocation::default(),
            instance_slots: DEFAULT_INSTANCE_SLOTS,
            epoch_tick: DEFAULT_EPOCH_TICK,
            profiler: Profiler::None,
            remote_secrets: BTreeMap::new(),
            budget: CompileBudget::default(),
            component_outside_plugin_folder: false,
            answers: AnswerLimits::default(),
            output: OutputLimits::default(),
            signatures: SignatureSettings::default(),
        }
    }
}

impl HostConfig {
    /// The defaults: see each setter.
    pub fn new() -> Self {
        Self::default()
    }

    /// Defaults and caps for plugin limits. Default: [`LimitCaps::default`].
    pub fn limits(mut self, caps: LimitCaps) -> Self {
        self.caps = caps;
        self
    }

    /// What plugins may be granted. Default: nothing ([`CapabilityPolicy::deny_all`]).
    pub fn policy(mut self, policy: CapabilityPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Where compiled components are cached, or `None` for no cache. Default:
    /// [`default_cache_dir`](crate::default_cache_dir) (`None` without `XDG_CACHE_HOME` or
    /// `HOME`). The folder is created with mode `0700`; one that is not the current user's,
    /// or that others may write, is refused with a warning and components are compiled in
    /// memory instead (see the `cache` module documentation of this crate: its files are
    /// loaded as native code).
    pub fn cache_dir(mut self, dir: Option<PathBuf>) -> Self {
        self.cache_dir = dir;
        self
    }

    /// How instance memory is allocated. Default: [`Allocation::Pooling`].
    pub fn allocation(mut self, allocation: Allocation) -> Self {
        self.allocation = allocation;
        self
    }

    /// Component instances alive at once across all plugins with the pooling allocator.
    /// Default: [`DEFAULT_INSTANCE_SLOTS`].
    pub fn instance_slots(mut self, slots: u32) -> Self {
        self.instance_slots = slots.max(1);
        self
    }

    /// How often the epoch advances. Default: [`DEFAULT_EPOCH_TICK`].
    pub fn epoch_tick(mut self, tick: Duration) -> Self {
        self.epoch_tick = tick.max(Duration::from_micros(100));
        self
    }

    /// The native profiler plugin code is announced to. Default: [`Profiler::None`].
    pub fn profiler(mut self, profiler: Profiler) -> Self {
        self.profiler = profiler;
        self
    }

    /// What a component may hold before it is compiled (size, functions, function size, block
    /// nesting), so that a compile bomb is refused in milliseconds. Default:
    /// [`CompileBudget::default`].
    pub fn compile_budget(mut self, budget: CompileBudget) -> Self {
        self.budget = budget;
        self
    }

    /// Whether a manifest's `component` may name a file outside the plugin's folder (an
    /// absolute path, `..`, or a symbolic link that leads out). Default `false`: the component
    /// must lie inside the folder that holds `plugin.toml`, so that a manifest cannot make the
    /// host read any file it can read. Files are read only when they are regular files within
    /// [`CompileBudget::max_component_bytes`] either way.
    pub fn component_outside_plugin_folder(mut self, allow: bool) -> Self {
        self.component_outside_plugin_folder = allow;
        self
    }

    /// The shared secret sent to remote plugin `plugin` as a bearer token, in place of the
    /// one its manifest names (so that the secret need not be written into a file). Default:
    /// none; the manifest's `remote.secret` is used.
    pub fn remote_secret(mut self, plugin: impl Into<String>, secret: impl Into<String>) -> Self {
        self.remote_secrets
            .insert(plugin.into(), Secret(secret.into()));
        self
    }

    /// What plugins' answers may hold (statuses, headers, body size, identities): an answer
    /// beyond is an [`Error::InvalidAnswer`](crate::Error::InvalidAnswer). Applies to every
    /// backend, remote plugins included. Default: [`AnswerLimits::default`] (a 16 MiB body).
    pub fn answer_limits(mut self, limits: AnswerLimits) -> Self {
        self.answers = limits;
        self
    }

    /// What one call of a plugin may write to the log (records, fields, bytes, stdout and
    /// stderr); the rest is dropped and one marker record says how much. Default:
    /// [`OutputLimits::default`].
    pub fn output_limits(mut self, limits: OutputLimits) -> Self {
        self.output = limits;
        self
    }

    /// Whether plugin signatures are checked (see [`SignaturePolicy`]). Default:
    /// [`SignaturePolicy::Ignore`]. A manifest's `sha256` pin is checked under every policy.
    pub fn signature_policy(mut self, policy: SignaturePolicy) -> Self {
        self.signatures.policy = policy;
        self
    }

    /// Trusts `key` to sign plugins (repeatable; a key trusted twice counts once). Default:
    /// no key, so that under [`SignaturePolicy::Require`] nothing loads until a key is
    /// trusted.
    pub fn trust_key(mut self, key: PublicKey) -> Self {
        if !self.signatures.trusted.contains(&key) {
            self.signatures.trusted.push(key);
        }
        self
    }
}
/// The folder for `XDG_CACHE_HOME` and `HOME` values: `$XDG_CACHE_HOME/mockforge-plugins`, else
/// `$HOME/.cache/mockforge-plugins`; relative or empty values are ignored. `None` with
/// neither: no folder every user could predict (such as one in the temporary directory).
fn cache_dir_from(
    xdg_cache_home: Option<std::ffi::OsString>,
    home: Option<std::ffi::OsString>,
) -> Option<PathBuf> {
    let absolute =
        |value: std::ffi::OsString| Some(PathBuf::from(value)).filter(|p| p.is_absolute());
    xdg_cache_home
        .and_then(absolute)
        .or_else(|| home.and_then(absolute).map(|home| home.join(".cache")))
        .map(|base| base.join("mockforge-plugins"))
}

/// The default cache folder: `$XDG_CACHE_HOME/mockforge-plugins`, else
/// `$HOME/.cache/mockforge-plugins`; `None` (no disk cache: components compile on every
/// load) when neither variable holds an absolute path.
pub fn default_cache_dir() -> Option<PathBuf> {
    cache_dir_from(std::env::var_os("XDG_CACHE_HOME"), std::env::var_os("HOME"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_home_means_no_cache_folder() {
        assert_eq!(cache_dir_from(None, None), None);
        assert_eq!(cache_dir_from(Some("".into()), Some("rel".into())), None);
        assert_eq!(
            cache_dir_from(None, Some("/home/u".into())),
            Some(PathBuf::from("/home/u/.cache/mockforge-plugins"))
        );
        assert_eq!(
            cache_dir_from(Some("/x".into()), Some("/home/u".into())),
            Some(PathBuf::from("/x/mockforge-plugins"))
        );
    }
}
