//! One plugin in a chain: the loaded plugin with its scope, failure policy, breaker and
//! counters.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use mockforge_component_host::{Error, Plugin};

use crate::breaker::{Breaker, BreakerState, Ticket};
use crate::policy::{BreakerSettings, FailurePolicy};
use crate::scope::PathScope;

/// A plugin as a chain runs it.
///
/// Its [`Breaker`] and [`ChainStats`] are shared handles: an embedder that swaps in a new
/// version of the same plugin (a hot reload) passes the old ones on so that the cool-down and
/// the counters carry over.
#[derive(Debug, Clone)]
pub struct ChainPlugin {
    pub(crate) plugin: Plugin,
    /// The plugin's name, shared with every [`crate::Authenticated`] it issues.
    pub(crate) name: Arc<str>,
    pub(crate) scope: PathScope,
    pub(crate) policy: FailurePolicy,
    pub(crate) breaker: Arc<Breaker>,
    pub(crate) stats: Arc<ChainStats>,
}

impl ChainPlugin {
    /// `plugin` on every path, failing closed, with the default breaker.
    pub fn new(plugin: Plugin) -> Self {
        Self {
            name: Arc::from(plugin.name()),
            plugin,
            scope: PathScope::all(),
            policy: FailurePolicy::default(),
            breaker: Breaker::new(BreakerSettings::default()),
            stats: Arc::default(),
        }
    }

    /// Only on the paths `scope` matches.
    pub fn scope(mut self, scope: PathScope) -> Self {
        self.scope = scope;
        self
    }

    /// What a failure of this plugin does.
    pub fn policy(mut self, policy: FailurePolicy) -> Self {
        self.policy = policy;
        self
    }

    /// A new breaker with these settings.
    pub fn breaker_settings(mut self, settings: BreakerSettings) -> Self {
        self.breaker = Breaker::new(settings);
        self
    }

    /// Share an existing breaker (a reloaded plugin keeps its predecessor's).
    pub fn breaker(mut self, breaker: Arc<Breaker>) -> Self {
        self.breaker = breaker;
        self
    }

    /// Share existing counters (a reloaded plugin keeps its predecessor's).
    pub fn stats(mut self, stats: Arc<ChainStats>) -> Self {
        self.stats = stats;
        self
    }

    /// The plugin.
    pub fn plugin(&self) -> &Plugin {
        &self.plugin
    }

    /// Its name.
    pub fn name(&self) -> &str {
        self.plugin.name()
    }

    /// Its failure policy.
    pub fn failure_policy(&self) -> FailurePolicy {
        self.policy
    }

    /// Its breaker (shared).
    pub fn breaker_handle(&self) -> &Arc<Breaker> {
        &self.breaker
    }

    /// Its counters (shared).
    pub fn stats_handle(&self) -> &Arc<ChainStats> {
        &self.stats
    }

    /// Where its breaker stands.
    pub fn breaker_state(&self) -> BreakerState {
        self.breaker.state(Instant::now())
    }

    pub(crate) fn applies_to(&self, path: &str) -> bool {
        self.scope.matches(path)
    }

    /// A ticket to call the plugin, or `None` while its breaker keeps it out (counted).
    pub(crate) fn admit(&self) -> Option<Ticket> {
        let ticket = self.breaker.admit(Instant::now());
        if ticket.is_none() {
            self.stats.bump(&self.stats.skipped);
        }
        ticket
    }

    /// Records a failed call: the breaker, the counter, and the cause in the log (never sent
    /// to the client).
    pub(crate) fn failed(
        &self,
        ticket: Ticket,
        what: &str,
        cause: &dyn std::fmt::Display,
        id: &str,
    ) {
        ticket.failure();
        self.stats.bump(&self.stats.failed);
        tracing::warn!(
            plugin = self.name(),
            request_id = id,
            policy = ?self.policy,
            "{what} failed: {cause}"
        );
    }

    /// Records a call the host reported as an error.
    pub(crate) fn errored(&self, ticket: Ticket, what: &str, err: &Error, id: &str) {
        self.failed(ticket, what, &err.report(), id);
    }
}

/// What a chain did with one plugin: counters shared across reloads.
#[derive(Debug, Default)]
pub struct ChainStats {
    /// Auth: requests it allowed.
    pub allowed: AtomicU64,
    /// Auth: requests it denied.
    pub denied: AtomicU64,
    /// Auth: requests it abstained on (not its scheme).
    pub abstained: AtomicU64,
    /// Response: responses it produced.
    pub produced: AtomicU64,
    /// Response: requests it declined.
    pub declined: AtomicU64,
    /// Response: responses it modified.
    pub modified: AtomicU64,
    /// Calls that failed (an error, or an answer that is not valid HTTP).
    pub failed: AtomicU64,
    /// Requests for which it was not called because its breaker was open.
    pub skipped: AtomicU64,
}

impl ChainStats {
    pub(crate) fn bump(&self, counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Every counter with its name, for metrics.
    pub fn counters(&self) -> [(&'static str, u64); 8] {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        [
            ("allowed", get(&self.allowed)),
            ("denied", get(&self.denied)),
            ("abstained", get(&self.abstained)),
            ("produced", get(&self.produced)),
            ("declined", get(&self.declined)),
            ("modified", get(&self.modified)),
            ("failed", get(&self.failed)),
            ("skipped", get(&self.skipped)),
        ]
    }
}
