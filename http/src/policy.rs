//! What a chain does when a plugin fails, and when it stops asking a plugin that keeps failing.

use std::time::Duration;

/// What a chain does when a plugin fails (a trap, a timeout, a dead remote, an invalid answer)
/// or is cooling down after repeated failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailurePolicy {
    /// Answer the request with a generic error (503 for auth, 500 for responses); the cause
    /// goes only to the log and the metrics. The default: an auth plugin that cannot decide
    /// lets nobody in.
    #[default]
    Closed,
    /// Go on as if the plugin were not in the chain: the next auth plugin decides, the next
    /// response plugin answers, a modifier leaves the response as it was.
    Open,
}

/// When a plugin is taken out of the path: after `failures` failures within `window`, it is
/// not called for `cooldown`; then one request probes it, and a success puts it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakerSettings {
    /// Failures within `window` that open the breaker; 0 never opens it.
    pub failures: u32,
    /// How far back failures count.
    pub window: Duration,
    /// How long an open breaker keeps the plugin out of the path before a probe.
    pub cooldown: Duration,
}

/// Failures within [`DEFAULT_BREAKER_WINDOW`] that take a plugin out of the path.
pub const DEFAULT_BREAKER_FAILURES: u32 = 5;
/// How far back failures count.
pub const DEFAULT_BREAKER_WINDOW: Duration = Duration::from_secs(10);
/// How long a plugin stays out of the path before a probe.
pub const DEFAULT_BREAKER_COOLDOWN: Duration = Duration::from_secs(30);

impl Default for BreakerSettings {
    fn default() -> Self {
        Self {
            failures: DEFAULT_BREAKER_FAILURES,
            window: DEFAULT_BREAKER_WINDOW,
            cooldown: DEFAULT_BREAKER_COOLDOWN,
        }
    }
}
