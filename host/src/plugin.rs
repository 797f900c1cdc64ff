//! A loaded plugin: the handle embedders call. Cheap to clone and safe to call from many tasks
//! at once. Whatever runs it (a component or a remote service: [`Backend`]), every call
//! passes the same checks here: the plugin's kind offers the operation, the answer is valid
//! ([`AnswerLimits`](crate::AnswerLimits)), and the call is counted in its metrics.

use std::sync::Arc;
use std::time::Instant;

use crate::backend::{Backend, BackendCall};
use crate::error::{Error, Result};
use crate::info::PluginInfo;
use crate::metrics::{Metrics, MetricsSnapshot};
use crate::operation::{Authenticate, Modify, Respond};
use crate::request::Request;
use crate::types::{AuthOutcome, Response};

/// A loaded plugin. Clones share the plugin.
#[derive(Clone)]
pub struct Plugin {
    inner: Arc<PluginInner>,
}

struct PluginInner {
    info: PluginInfo,
    backend: Backend,
    metrics: Metrics,
}

impl std::fmt::Debug for Plugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plugin")
            .field("name", &self.inner.info.name)
            .field("kind", &self.inner.info.kind)
            .finish_non_exhaustive()
    }
}

impl Plugin {
    pub(crate) fn new(info: PluginInfo, backend: Backend) -> Self {
        Self {
            inner: Arc::new(PluginInner {
                info,
                backend,
                metrics: Metrics::default(),
            }),
        }
    }

    /// What the plugin is.
    pub fn info(&self) -> &PluginInfo {
        &self.inner.info
    }

    /// The plugin's name.
    pub fn name(&self) -> &str {
        &self.inner.info.name
    }

    /// Calls, errors by kind and latencies so far.
    /// For a remote plugin, also retries, the circuit breaker's state and health checks.
    pub fn metrics(&self) -> MetricsSnapshot {
        let mut snapshot = self.inner.metrics.snapshot();
        snapshot.remote = self.inner.backend.remote_metrics();
        snapshot
    }

    /// Warm instances currently kept (always 0 for the fresh strategy and remote plugins).
    pub fn warm_instances(&self) -> usize {
        self.inner.backend.warm_instances()
    }

    /// Instantiates the plugin once, outside any call: start-up failures (a trap in start-up
    /// code, a memory limit too small for the guest's initial memory) surface before traffic
    /// arrives. For a pooled plugin the instance joins the warm pool, so that the first call
    /// does not pay for start-up; for a fresh-instance plugin it is discarded. A remote
    /// plugin is asked to describe itself, and its protocol version and kind are checked.
    pub async fn probe(&self) -> Result<()> {
        self.inner.backend.probe(&self.inner.metrics).await
    }

    /// Asks an auth plugin who `request` is.
    /// A remote auth plugin whose remote is unavailable answers as its manifest's
    /// `remote.on-unavailable` says (by default a 503 denial).
    pub async fn authenticate(&self, request: impl Into<Arc<Request>>) -> Result<AuthOutcome> {
        self.call(Authenticate, request.into()).await
    }

    /// Asks a response plugin for a response to `request`; `None` means it declined, and the
    /// next plugin or the default mock should answer.
    pub async fn respond(&self, request: impl Into<Arc<Request>>) -> Result<Option<Response>> {
        self.call(Respond, request.into()).await
    }

    /// Asks a response plugin to change `response`, the mock's answer to `request`.
    pub async fn modify(
        &self,
        request: impl Into<Arc<Request>>,
        response: Response,
    ) -> Result<Response> {
        self.call(Modify(response), request.into()).await
    }

    /// One call, whatever the backend: the kind checked, the answer validated and the call
    /// counted (a failure by its kind, even when the backend then falls back to an answer).
    async fn call<O: BackendCall>(&self, operation: O, request: Arc<Request>) -> Result<O::Answer> {
        let inner = &*self.inner;
        let started = Instant::now();
        let result = match O::offered_by(inner.info.kind) {
            false => Err(Error::Unsupported {
                plugin: inner.info.name.clone(),
                kind: inner.info.kind,
                operation: O::NAME,
            }),
            true => inner
                .backend
                .call(operation, request, &inner.metrics)
                .await
                .and_then(|answer| inner.backend.answer_limits().check(self.name(), answer)),
        };
        inner
            .metrics
            .record(started.elapsed(), result.as_ref().err().map(Error::kind));
        result.or_else(|err| inner.backend.fall_back::<O>(err))
    }
}
