//! What runs a plugin's calls: a WebAssembly component or a remote service. The facade
//! ([`Plugin`](crate::Plugin)) talks to this one enum; each operation is dispatched here, once.

use std::sync::Arc;

use crate::answer::AnswerLimits;
use crate::component::call::ComponentCall;
use crate::component::ComponentBackend;
use crate::error::Result;
use crate::metrics::{Metrics, RemoteMetrics};
use crate::remote::call::RemoteCall;
use crate::remote::RemoteBackend;
use crate::request::Request;

/// A plugin's backend.
pub(crate) enum Backend {
    /// A component, in instances of its own.
    Component(ComponentBackend),
    /// A service over HTTP.
    Remote(RemoteBackend),
}

/// An operation both backends can run.
pub(crate) trait BackendCall: ComponentCall + RemoteCall {}

impl<O: ComponentCall + RemoteCall> BackendCall for O {}

impl Backend {
    /// Runs `operation` on `request`; its answer is not validated yet.
    pub(crate) async fn call<O: BackendCall>(
        &self,
        operation: O,
        request: Arc<Request>,
        metrics: &Metrics,
    ) -> Result<O::Answer> {
        match self {
            Self::Component(component) => component.call(operation, request, metrics).await,
            Self::Remote(remote) => remote.call(operation, request).await,
        }
    }

    /// What `O` answers instead when it failed with `err`: a remote auth plugin may answer
    /// as its manifest's `on-unavailable` says; a component's failure stands.
    pub(crate) fn fall_back<O: BackendCall>(&self, err: crate::Error) -> Result<O::Answer> {
        match self {
            Self::Component(_) => Err(err),
            Self::Remote(remote) => O::fall_back(remote, err),
        }
    }

    /// Instantiates a component once, or asks a remote to describe itself.
    pub(crate) async fn probe(&self, metrics: &Metrics) -> Result<()> {
        match self {
            Self::Component(component) => component.probe(metrics).await,
            Self::Remote(remote) => remote.probe().await,
        }
    }

    /// What the plugin's answers may hold.
    pub(crate) fn answer_limits(&self) -> &AnswerLimits {
        match self {
            Self::Component(component) => component.answer_limits(),
            Self::Remote(remote) => remote.answer_limits(),
        }
    }

    /// Warm instances kept now (none for a remote).
    pub(crate) fn warm_instances(&self) -> usize {
        match self {
            Self::Component(component) => component.warm_instances(),
            Self::Remote(_) => 0,
        }
    }

    /// A remote's own counters.
    pub(crate) fn remote_metrics(&self) -> Option<RemoteMetrics> {
        match self {
            Self::Component(_) => None,
            Self::Remote(remote) => Some(remote.metrics()),
        }
    }
}
