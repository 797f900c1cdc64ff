//! A loaded plugin: the handle embedders call. Cheap to clone and safe to call from many tasks
//! at once.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::Semaphore;
use wasmtime::Store;

use crate::cache::ArtifactSource;
use crate::error::{Error, Result};
use crate::instance::{Answer, Instance, Operation, Template};
use crate::limits::Limits;
use crate::manifest::InstanceStrategy;
use crate::metrics::{Metrics, MetricsSnapshot};
use crate::policy::Grant;
use crate::remote::Remote;
use crate::request::Request;
use crate::store::{DeadlineExceeded, InstanceState};
use crate::types::{AuthOutcome, PluginError, PluginKind, Response};

/// How long past its time limit a call may take before the host abandons it even though the
/// guest has not noticed its deadline (it is blocked in a host call, say). Epoch interruption
/// normally stops a guest within one tick.
const ABANDON_GRACE: Duration = Duration::from_millis(50);

/// What a plugin is, as loaded.
#[derive(Debug, Clone, Serialize)]
pub struct PluginInfo {
    /// The plugin's name from its manifest.
    pub name: String,
    /// Its version.
    pub version: String,
    /// Its kind, checked against its exports.
    pub kind: PluginKind,
    /// The WIT world it implements.
    pub world: &'static str,
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
}

/// A component's answer, in the public types and validated.
enum Checked {
    Authenticated(AuthOutcome),
    Responded(Option<Response>),
    Modified(Response),
}

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

/// What runs the plugin's calls.
enum Backend {
    Component(Component),
    Remote(Remote),
}

/// A WebAssembly component's instances.
struct Component {
    template: Template,
    /// One permit per instance that may be alive at once.
    slots: Semaphore,
    /// Warm instances, for the pooled strategy.
    warm: Mutex<Vec<Instance>>,
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
    pub(crate) fn new(info: PluginInfo, template: Template) -> Self {
        let slots = Semaphore::new(info.limits.max_instances as usize);
        let component = Component {
            template,
            slots,
            warm: Mutex::new(Vec::new()),
        };
        Self::with_backend(info, Backend::Component(component))
    }

    pub(crate) fn remote(info: PluginInfo, remote: Remote) -> Self {
        Self::with_backend(info, Backend::Remote(remote))
    }

    fn with_backend(info: PluginInfo, backend: Backend) -> Self {
        Self {
            inner: Arc::new(PluginInner {
                info,
                backend,
                metrics: Metrics::default(),
            }),
        }
    }

    /// The component's instances, or the remote client.
    fn backend(&self) -> std::result::Result<&Component, &Remote> {
        match &self.inner.backend {
            Backend::Component(component) => Ok(component),
            Backend::Remote(remote) => Err(remote),
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
        if let Err(remote) = self.backend() {
            snapshot.remote = Some(remote.metrics());
        }
        snapshot
    }

    /// Warm instances currently kept (always 0 for the fresh strategy and remote plugins).
    pub fn warm_instances(&self) -> usize {
        match self.backend() {
            Ok(component) => component
                .warm
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .len(),
            Err(_) => 0,
        }
    }

    /// Instantiates the plugin once, outside any call: start-up failures (a trap in start-up
    /// code, a memory limit too small for the guest's initial memory) surface before traffic
    /// arrives. For a pooled plugin the instance joins the warm pool, so that the first call
    /// does not pay for start-up; for a fresh-instance plugin it is discarded. A remote
    /// plugin is asked to describe itself, and its protocol version and kind are checked.
    pub async fn probe(&self) -> Result<()> {
        let component = match self.backend() {
            Ok(component) => component,
            Err(remote) => return remote.probe().await,
        };
        let _permit = component
            .slots
            .acquire()
            .await
            .map_err(|e| Error::host(self.name(), e))?;
        let instance = component
            .template
            .instantiate()
            .await
            .map_err(|(err, store)| self.classify(err, store.as_ref()))?;
        self.return_warm(component, instance);
        Ok(())
    }

    /// Asks an auth plugin who `request` is.
    /// A remote auth plugin whose remote is unavailable answers as its manifest's
    /// `remote.on-unavailable` says (by default a 503 denial).
    pub async fn authenticate(&self, request: impl Into<Arc<Request>>) -> Result<AuthOutcome> {
        if let Err(remote) = self.backend() {
            return remote
                .authenticate(&self.inner.metrics, request.into())
                .await;
        }
        match self.call(Operation::Authenticate, request.into()).await? {
            Checked::Authenticated(outcome) => Ok(outcome),
            _ => Err(self.mismatched_answer()),
        }
    }

    /// Asks a response plugin for a response to `request`; `None` means it declined, and the
    /// next plugin or the default mock should answer.
    pub async fn respond(&self, request: impl Into<Arc<Request>>) -> Result<Option<Response>> {
        if let Err(remote) = self.backend() {
            return remote.respond(&self.inner.metrics, request.into()).await;
        }
        match self.call(Operation::Respond, request.into()).await? {
            Checked::Responded(response) => Ok(response),
            _ => Err(self.mismatched_answer()),
        }
    }

    /// Asks a response plugin to change `response`, the mock's answer to `request`.
    pub async fn modify(
        &self,
        request: impl Into<Arc<Request>>,
        response: Response,
    ) -> Result<Response> {
        if let Err(remote) = self.backend() {
            return remote
                .modify(&self.inner.metrics, request.into(), response)
                .await;
        }
        let operation = Operation::Modify(response.into());
        match self.call(operation, request.into()).await? {
            Checked::Modified(response) => Ok(response),
            _ => Err(self.mismatched_answer()),
        }
    }

    fn mismatched_answer(&self) -> Error {
        Error::host(self.name(), "the instance answered a different operation")
    }

    async fn call(&self, operation: Operation, request: Arc<Request>) -> Result<Checked> {
        let started = Instant::now();
        let result = self
            .call_unmetered(operation, request)
            .await
            .and_then(|answer| self.checked(answer))
            .map_err(|err| self.blame_removed_dir(err));
        let error = result.as_ref().err().map(Error::kind);
        self.inner.metrics.record(started.elapsed(), error);
        result
    }

    /// A call that failed in the plugin (a trap, its own error) while one of its granted
    /// directories had been removed is not the plugin's fault: it is reported as the missing
    /// directory.
    fn blame_removed_dir(&self, err: Error) -> Error {
        if !matches!(err, Error::Trap { .. } | Error::Plugin { .. }) {
            return err;
        }
        let Ok(component) = self.backend() else {
            return err;
        };
        match component.template.context.removed_dir() {
            Some(dir) => Error::Io {
                plugin: self.inner.info.name.clone(),
                path: dir.host.clone(),
                error: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!(
                        "the directory granted as `{}` was removed after the plugin loaded",
                        dir.guest
                    ),
                ),
            },
            None => err,
        }
    }

    async fn call_unmetered(&self, operation: Operation, request: Arc<Request>) -> Result<Answer> {
        let info = &self.inner.info;
        let (supported, name) = match operation {
            Operation::Authenticate => (info.kind.authenticates(), "authenticate"),
            Operation::Respond => (info.kind.responds(), "respond"),
            Operation::Modify(_) => (info.kind.responds(), "modify"),
        };
        if !supported {
            return Err(Error::Unsupported {
                plugin: info.name.clone(),
                kind: info.kind,
                operation: name,
            });
        }
        let component = self
            .backend()
            .map_err(|_| Error::host(&info.name, "a remote plugin has no instances"))?;
        let _permit = component
            .slots
            .acquire()
            .await
            .map_err(|e| Error::host(&info.name, e))?;

        let mut instance = match self.take_warm(component) {
            Some(instance) => instance,
            None => component
                .template
                .instantiate()
                .await
                .map_err(|(err, store)| self.classify(err, store.as_ref()))?,
        };

        let timeout = info.limits.timeout;
        let deadline = Instant::now() + timeout;
        let call = instance.invoke(operation, request, deadline);
        let answer = match tokio::time::timeout(timeout + ABANDON_GRACE, call).await {
            Err(_) => {
                return Err(Error::Timeout {
                    plugin: info.name.clone(),
                    limit: timeout,
                })
            }
            Ok(Err(err)) => return Err(self.classify(err, Some(&instance.store))),
            Ok(Ok(answer)) => answer,
        };
        // A plugin that returned its own error is healthy: its instance may be reused.
        self.return_warm(component, instance);
        answer.map_err(|error| Error::Plugin {
            plugin: info.name.clone(),
            error: PluginError::from(error),
        })
    }

    /// The answer in the public types, validated against the host's
    /// [`AnswerLimits`](crate::AnswerLimits): the one check every component's answer (a legacy
    /// module's too) passes, as every remote's does.
    fn checked(&self, answer: Answer) -> Result<Checked> {
        let limits = self
            .backend()
            .map(|component| component.template.context.answers)
            .map_err(|_| Error::host(self.name(), "a remote plugin has no instances"))?;
        let name = self.name();
        Ok(match answer {
            Answer::Authenticated(outcome) => {
                Checked::Authenticated(limits.check(name, AuthOutcome::from(outcome))?)
            }
            Answer::Responded(response) => {
                Checked::Responded(limits.check(name, response.map(Response::from))?)
            }
            Answer::Modified(response) => {
                Checked::Modified(limits.check(name, Response::from(response))?)
            }
        })
    }

    fn take_warm(&self, component: &Component) -> Option<Instance> {
        if self.inner.info.limits.strategy != InstanceStrategy::Pooled {
            return None;
        }
        component
            .warm
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
    }

    fn return_warm(&self, component: &Component, instance: Instance) {
        let limits = &self.inner.info.limits;
        if limits.strategy != InstanceStrategy::Pooled {
            return;
        }
        if instance.store.data().limiter.near_limit() {
            tracing::debug!(
                plugin = %self.inner.info.name,
                "retiring a warm instance that has grown close to its memory limit"
            );
            self.inner.metrics.retired();
            return;
        }
        let mut warm = component
            .warm
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if warm.len() < limits.pool_size as usize {
            warm.push(instance);
        }
    }

    /// Turns a wasmtime error from instantiating or calling into a typed error, using what
    /// the store recorded (a memory-limit hit, the end of stderr).
    fn classify(&self, err: wasmtime::Error, store: Option<&Store<InstanceState>>) -> Error {
        let plugin = self.inner.info.name.clone();
        let limits = &self.inner.info.limits;
        if err.is::<DeadlineExceeded>() {
            return Error::Timeout {
                plugin,
                limit: limits.timeout,
            };
        }
        if store.is_some_and(|store| store.data().limiter.hit) {
            return Error::MemoryLimit {
                plugin,
                limit_bytes: limits.memory_bytes,
            };
        }
        if let Some(pool) = err.downcast_ref::<wasmtime::PoolConcurrencyLimitError>() {
            return Error::Capacity {
                plugin,
                message: pool.to_string(),
            };
        }
        let backtrace = err
            .downcast_ref::<wasmtime::WasmBacktrace>()
            .map(|bt| bt.to_string());
        let message = match err.downcast_ref::<wasmtime::Trap>() {
            Some(trap) => trap.to_string(),
            None => err
                .chain()
                .map(|cause| cause.to_string())
                .collect::<Vec<_>>()
                .join(": "),
        };
        Error::Trap {
            plugin,
            message,
            backtrace,
            stderr: store
                .map(|s| s.data().stderr.take_tail())
                .unwrap_or_default(),
        }
    }
}
