//! The remote backend: plugins served over HTTP (the protocol in
//! `protocol/remote-plugin.openapi.yaml`) and called through the same
//! [`Plugin`](crate::Plugin) API as WebAssembly plugins. A manifest with a `[remote]` table
//! loads as one.
//!
//! Every call runs under one deadline (`timeout-ms`) that covers waiting for a concurrency
//! slot, connecting, retries and their backoff. A per-plugin circuit breaker, fed by calls
//! and by background health checks, fails calls fast while the remote is down.

mod breaker;
pub(crate) mod call;
mod settings;
mod transport;
pub(crate) mod wire;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use hyper::Method;
use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;

use crate::answer::AnswerLimits;
use crate::error::{bounded_message, Error, Result};
use crate::host_config::HostConfig;
use crate::info::{ArtifactSource, PluginInfo};
use crate::limits::{KvLimits, Limits};
use crate::manifest::remote::{OnUnavailable, RemoteSettings};
use crate::manifest::{InstanceStrategy, Manifest};
use crate::metrics::RemoteMetrics;
use crate::request::Request;
use crate::types::Claims;
use crate::types::{AuthOutcome, Denial, Identity, PluginKind};
use breaker::Breaker;
use call::RemoteCall;
use mockforge_component_adapters::contract::ContractVersion;
use settings::Resolved;
use transport::{Failure, Reply, Transport};
use wire::{decode, Description, ErrorEnvelope, Mismatch, PROTOCOL_VERSION};

/// The subject of the identity a fail-open auth plugin allows while its remote is down.
pub const FAIL_OPEN_SUBJECT: &str = "anonymous";

/// How much of a non-JSON error body is quoted in an error message.
const QUOTED_BODY_BYTES: usize = 200;

/// A loaded remote plugin. Clones share the client, the breaker and the counters.
#[derive(Clone)]
pub(crate) struct RemoteBackend {
    inner: Arc<RemoteInner>,
}

struct RemoteInner {
    name: String,
    kind: PluginKind,
    settings: Resolved,
    /// What its answers may hold, as for every backend.
    answers: AnswerLimits,
    transport: Transport,
    breaker: Breaker,
    /// One permit per call in flight.
    slots: Semaphore,
    retries: AtomicU64,
    health_checks: AtomicU64,
    health_failures: AtomicU64,
    fallbacks: AtomicU64,
}

/// Loads the remote plugin `manifest` describes, served as `remote_settings` say; nothing is
/// sent until the first call (or [`Plugin::probe`](crate::Plugin::probe)), so that a host
/// may start before its remotes.
pub(crate) fn load(
    config: &HostConfig,
    manifest: &Manifest,
    remote_settings: &RemoteSettings,
    path: Option<PathBuf>,
) -> Result<(RemoteBackend, PluginInfo)> {
    let name = manifest.name.clone();
    let settings = Resolved::new(
        remote_settings,
        config.caps.max_timeout,
        config.caps.max_instances,
    );
    let secret = config
        .remote_secrets
        .get(&name)
        .map(|secret| &secret.0)
        .or(remote_settings.secret.as_ref());
    if secret.is_none() {
        tracing::warn!(plugin = %name, "remote plugin without a shared secret: its requests carry no bearer token");
    }
    let transport = Transport::new(&settings, secret.map(String::as_str)).map_err(|message| {
        Error::Unavailable {
            plugin: name.clone(),
            reason: format!(
                "cannot set up the client for {}: {message}",
                settings.endpoint
            ),
        }
    })?;
    let limits = Limits {
        memory_bytes: 0,
        timeout: settings.timeout,
        max_instances: settings.max_concurrency,
        strategy: InstanceStrategy::Fresh,
        pool_size: 0,
        kv: KvLimits::NONE,
    };
    let info = PluginInfo {
        name: name.clone(),
        version: manifest.version.clone(),
        kind: manifest.kind,
        world: manifest.kind.world(ContractVersion::LATEST),
        contract: None,
        description: manifest.description.clone(),
        path,
        size_bytes: 0,
        imports: Vec::new(),
        exports: Vec::new(),
        limits,
        grant: Default::default(),
        artifact: ArtifactSource::Remote,
        load_time: Duration::ZERO,
        endpoint: Some(settings.endpoint.clone()),
        // Set by the host from where the manifest came from.
        manifest: crate::info::ManifestOrigin::Embedder,
        unmapped_manifest_keys: Vec::new(),
    };
    let inner = Arc::new(RemoteInner {
        name,
        kind: manifest.kind,
        breaker: Breaker::new(settings.breaker_failures, settings.breaker_cooldown),
        slots: Semaphore::new(settings.max_concurrency as usize),
        transport,
        settings,
        answers: config.answers,
        retries: AtomicU64::new(0),
        health_checks: AtomicU64::new(0),
        health_failures: AtomicU64::new(0),
        fallbacks: AtomicU64::new(0),
    });
    spawn_health_checks(&inner);
    tracing::debug!(plugin = %info.name, endpoint = %inner.settings.endpoint, "remote plugin loaded");
    Ok((RemoteBackend { inner }, info))
}

/// Checks the remote's health every `health-interval-ms` while the plugin is loaded.
fn spawn_health_checks(inner: &Arc<RemoteInner>) {
    let Some(interval) = inner.settings.health_interval else {
        return;
    };
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    let weak = Arc::downgrade(inner);
    runtime.spawn(async move {
        let mut ticks = tokio::time::interval(interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticks.tick().await;
        loop {
            ticks.tick().await;
            let Some(inner) = weak.upgrade() else { break };
            inner.check_health().await;
        }
    });
}

impl RemoteInner {
    async fn check_health(&self) {
        self.health_checks.fetch_add(1, Ordering::Relaxed);
        let deadline = Instant::now() + self.settings.timeout;
        let healthy = matches!(
            self.transport.attempt(&Method::GET, "/health", Bytes::new(), deadline).await,
            Ok(reply) if reply.status.is_success()
        );
        if healthy {
            self.breaker.success();
        } else {
            self.health_failures.fetch_add(1, Ordering::Relaxed);
            self.breaker.failure();
        }
    }
}

impl RemoteBackend {
    fn name(&self) -> &str {
        &self.inner.name
    }

    pub(crate) fn metrics(&self) -> RemoteMetrics {
        let (breaker, breaker_opened) = self.inner.breaker.state();
        RemoteMetrics {
            retries: self.inner.retries.load(Ordering::Relaxed),
            breaker,
            breaker_opened,
            health_checks: self.inner.health_checks.load(Ordering::Relaxed),
            health_failures: self.inner.health_failures.load(Ordering::Relaxed),
            fallbacks: self.inner.fallbacks.load(Ordering::Relaxed),
            in_flight: (self.inner.settings.max_concurrency as usize
                - self.inner.slots.available_permits()) as u64,
        }
    }

    /// Asks the remote what it is and checks that it speaks this protocol version and offers
    /// what the manifest's kind requires.
    pub(crate) async fn probe(&self) -> Result<()> {
        let description: Description = self
            .exchange(Method::GET, "/describe", Vec::new(), Ok)
            .await?;
        if !compatible(&description.protocol) {
            return Err(self.protocol(Mismatch {
                field: Some("protocol".into()),
                message: format!(
                    "the remote speaks protocol {}, this host {PROTOCOL_VERSION}",
                    description.protocol
                ),
            }));
        }
        let remote = description.kind;
        let wanted = self.inner.kind;
        let offers = (!wanted.authenticates() || remote.authenticates())
            && (!wanted.responds() || remote.responds());
        if !offers {
            return Err(self.protocol(Mismatch {
                field: Some("kind".into()),
                message: format!(
                    "the manifest declares a {} plugin; the remote `{}` is a {} plugin",
                    self.inner.kind, description.name, description.kind
                ),
            }));
        }
        Ok(())
    }

    /// What its answers may hold.
    pub(crate) fn answer_limits(&self) -> &AnswerLimits {
        &self.inner.answers
    }

    /// Runs `operation` on `request`.
    pub(crate) async fn call<O: RemoteCall>(
        &self,
        operation: O,
        request: Arc<Request>,
    ) -> Result<O::Answer> {
        let body = operation
            .body(&request)
            .map_err(|e| Error::host_caused(self.name(), "cannot write the request", e))?;
        self.exchange(Method::POST, O::PATH, body, O::answer).await
    }

    /// One call under the breaker, the concurrency cap and the deadline.
    async fn exchange<T: DeserializeOwned, U>(
        &self,
        method: Method,
        path: &str,
        body: Vec<u8>,
        convert: impl FnOnce(T) -> Result<U, Mismatch>,
    ) -> Result<U> {
        let inner = &self.inner;
        let deadline = Instant::now() + inner.settings.timeout;
        let ticket = inner.breaker.admit().map_err(|wait| Error::Unavailable {
            plugin: inner.name.clone(),
            reason: format!(
                "circuit breaker open after {} consecutive failures (next probe in {} ms)",
                inner.breaker.threshold(),
                wait.as_millis()
            ),
        })?;
        let _slot = match tokio::time::timeout_at(deadline.into(), inner.slots.acquire()).await {
            Err(_) => {
                // Waiting for a slot says nothing about the remote's health.
                drop(ticket);
                return Err(self.timeout());
            }
            Ok(slot) => {
                slot.map_err(|e| Error::host_caused(&inner.name, "the call slots closed", e))?
            }
        };
        let exchange = inner
            .transport
            .exchange(method, path, Bytes::from(body), deadline, &inner.retries)
            .await;
        let result = match exchange {
            Ok(reply) => self.interpret(reply, convert),
            Err(failure) => Err(self.failure(failure)),
        };
        ticket.settle(matches!(result, Ok(_) | Err(Error::Plugin { .. })));
        result
    }

    fn interpret<T: DeserializeOwned, U>(
        &self,
        reply: Reply,
        convert: impl FnOnce(T) -> Result<U, Mismatch>,
    ) -> Result<U> {
        if reply.status.is_success() {
            return decode::<T>(&reply.body)
                .and_then(convert)
                .map_err(|mismatch| self.protocol(mismatch));
        }
        let envelope = decode::<ErrorEnvelope>(&reply.body).ok();
        if let Some(error) = envelope.as_ref().and_then(|e| e.error.plugin_error()) {
            return Err(Error::Plugin {
                plugin: self.inner.name.clone(),
                error,
            });
        }
        let message = match envelope {
            Some(envelope) => bounded_message(format!(
                "{}: {}",
                envelope.error.kind, envelope.error.message
            )),
            None => quote(&reply.body),
        };
        let status = reply.status.as_u16();
        if matches!(status, 502..=504) {
            return Err(Error::Unavailable {
                plugin: self.inner.name.clone(),
                reason: format!("the remote answered {status}: {message}"),
            });
        }
        Err(Error::Remote {
            plugin: self.inner.name.clone(),
            status,
            message,
        })
    }

    fn failure(&self, failure: Failure) -> Error {
        let plugin = self.inner.name.clone();
        let endpoint = &self.inner.settings.endpoint;
        match failure {
            Failure::Connect(message) => Error::Unavailable {
                plugin,
                reason: format!("cannot connect to {endpoint}: {message}"),
            },
            Failure::Broken(message) => Error::Unavailable {
                plugin,
                reason: format!("the exchange with {endpoint} broke: {message}"),
            },
            Failure::Timeout => self.timeout(),
            Failure::TooLarge(cap) => Error::RemoteProtocol {
                plugin,
                field: None,
                message: format!("the response body is larger than the cap of {cap} bytes"),
            },
        }
    }

    fn timeout(&self) -> Error {
        Error::Timeout {
            plugin: self.inner.name.clone(),
            limit: self.inner.settings.timeout,
        }
    }

    fn protocol(&self, mismatch: Mismatch) -> Error {
        Error::RemoteProtocol {
            plugin: self.inner.name.clone(),
            field: mismatch.field,
            message: mismatch.message,
        }
    }

    /// The answer of an auth plugin whose remote is unavailable, as its manifest chose.
    pub(crate) fn when_unavailable(&self, err: Error) -> Result<AuthOutcome> {
        let outcome = match self.inner.settings.on_unavailable {
            OnUnavailable::Error => return Err(err),
            OnUnavailable::Deny => AuthOutcome::Deny(Denial {
                status: 503,
                reason: "authentication is temporarily unavailable".into(),
                headers: vec![("retry-after".into(), retry_after(&self.inner.settings))],
            }),
            OnUnavailable::Allow => AuthOutcome::Allow(Identity {
                subject: FAIL_OPEN_SUBJECT.into(),
                claims: Claims::from_iter([(
                    "fail-open".to_owned(),
                    serde_json::Value::Bool(true),
                )]),
                ..Identity::default()
            }),
        };
        self.inner.fallbacks.fetch_add(1, Ordering::Relaxed);
        tracing::warn!(plugin = %self.inner.name, error = %err, on_unavailable = ?self.inner.settings.on_unavailable, "remote auth plugin unavailable");
        Ok(outcome)
    }
}

/// Whether `err` means that the remote could not be asked, as opposed to a bad answer.
pub(crate) fn unavailable(err: &Error) -> bool {
    matches!(err, Error::Unavailable { .. } | Error::Timeout { .. })
}

/// Seconds until the breaker may let a call through, at least 1.
fn retry_after(settings: &Resolved) -> String {
    settings.breaker_cooldown.as_secs().max(1).to_string()
}

/// Whether a remote speaking protocol `version` can serve this host: the same 0.x minor.
fn compatible(version: &str) -> bool {
    fn major_minor(version: &str) -> Vec<&str> {
        version.split('.').take(2).collect()
    }
    major_minor(version) == major_minor(PROTOCOL_VERSION)
}

fn quote(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(QUOTED_BODY_BYTES)]);
    let text = text.trim();
    match (text.is_empty(), body.len() > QUOTED_BODY_BYTES) {
        (true, _) => "(empty body)".into(),
        (false, true) => format!("{text}..."),
        (false, false) => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_versions_match_on_major_and_minor() {
        assert!(compatible("0.1.0"));
        assert!(compatible("0.1.7"));
        assert!(!compatible("0.2.0"));
        assert!(!compatible("1"));
    }
}
