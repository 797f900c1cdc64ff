//! The component backend: plugins that are WebAssembly components (or legacy core modules
//! the adapters wrap into components), run by wasmtime in instances with their own memory,
//! limits and WASI context.
//!
//! - [`runtime`]: the engine, linker, artifact cache and epoch ticker one host shares, and
//!   loading a component into a [`ComponentBackend`];
//! - [`pool`], [`instance`], [`store`], [`stdio`]: a plugin's instances, each one's store
//!   and state, and what it writes to stdout and stderr;
//! - [`bindings`] (generated from `wit/<version>/`, one module per contract version, with
//!   the conversions to the public types), [`call`] (each operation's export, per version)
//!   and [`imports`] (the host side of each WIT interface a plugin imports, one file per
//!   interface); [`kv_store`], [`public_key`] and [`jwt`] hold what the `kv` and `crypto`
//!   imports work on;
//! - [`failure`]: wasmtime errors turned into typed errors;
//! - [`abandon`]: giving up on a call far past its deadline, with a timer only for calls
//!   that do not finish at once.

pub(crate) mod abandon;
pub(crate) mod bindings;
pub(crate) mod cache;
pub(crate) mod call;
pub(crate) mod engine;
pub(crate) mod export_types;
pub(crate) mod failure;
pub(crate) mod imports;
pub(crate) mod instance;
pub(crate) mod jwt;
pub(crate) mod kv_store;
pub(crate) mod memory_images;
pub(crate) mod pool;
pub(crate) mod public_key;
pub(crate) mod runtime;
pub(crate) mod stdio;
pub(crate) mod store;

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::component::call::ComponentCall;
use crate::component::instance::{Instance, Template};
use crate::component::pool::{InstancePool, Lease};
use crate::error::{Error, Result};
use crate::metrics::Metrics;
use crate::request::Request;

/// How long past its time limit a call may take before the host abandons it even though the
/// guest has not noticed its deadline (it is blocked in a host call, say). Epoch interruption
/// normally stops a guest within one tick.
const ABANDON_GRACE: Duration = Duration::from_millis(50);

/// A loaded component plugin: what makes its instances, and the instances.
pub(crate) struct ComponentBackend {
    template: Template,
    pool: InstancePool<Instance>,
}

impl ComponentBackend {
    pub(crate) fn new(template: Template) -> Self {
        let limits = &template.context.limits;
        let pool = InstancePool::new(limits.max_instances, limits.strategy, limits.pool_size);
        Self { template, pool }
    }

    /// What its answers may hold.
    pub(crate) fn answer_limits(&self) -> &crate::AnswerLimits {
        &self.template.context.answers
    }

    /// Warm instances kept now.
    pub(crate) fn warm_instances(&self) -> usize {
        self.pool.warm_count()
    }

    /// Instantiates the plugin once, outside any call; a pooled plugin keeps the instance.
    pub(crate) async fn probe(&self, metrics: &Metrics) -> Result<()> {
        let mut lease = self.lease().await?;
        let instance = self.instance(&mut lease).await?;
        self.give_back(instance, metrics);
        Ok(())
    }

    /// Runs `operation` on `request` in a warm or a new instance, within the plugin's time
    /// limit. A plugin that returned its own error is healthy: its instance may be reused.
    pub(crate) async fn call<O: ComponentCall>(
        &self,
        operation: O,
        request: Arc<Request>,
        metrics: &Metrics,
    ) -> Result<O::Answer> {
        let context = &self.template.context;
        // The lease holds the instance's slot until the call is over.
        let mut lease = self.lease().await?;
        let mut instance = self.instance(&mut lease).await?;
        let timeout = context.limits.timeout;
        let deadline = Instant::now() + timeout;
        let call = instance.invoke(operation, request, deadline);
        let answer = match abandon::unless_abandoned(deadline + ABANDON_GRACE, call).await {
            None => Err(Error::Timeout {
                plugin: context.name.to_string(),
                limit: timeout,
            }),
            Some(Err(err)) => Err(failure::classify(context, err, &instance.store)),
            Some(Ok(answer)) => {
                self.give_back(instance, metrics);
                answer.map_err(|error| Error::Plugin {
                    plugin: context.name.to_string(),
                    error,
                })
            }
        };
        answer.map_err(|err| failure::blame_removed_dir(context, err))
    }

    async fn lease(&self) -> Result<Lease<'_, Instance>> {
        self.pool.lease().await.map_err(|e| {
            Error::host_caused(&self.template.context.name, "the instance slots closed", e)
        })
    }

    /// The lease's warm instance, or a new one.
    async fn instance(&self, lease: &mut Lease<'_, Instance>) -> Result<Instance> {
        match lease.warm.take() {
            Some(instance) => Ok(instance),
            None => self
                .template
                .instantiate()
                .await
                .map_err(|(err, store)| failure::classify(&self.template.context, err, &store)),
        }
    }

    /// Keeps a healthy instance warm, unless it has grown close to its memory limit (it is
    /// retired then) or there is no room for it.
    fn give_back(&self, instance: Instance, metrics: &Metrics) {
        if !self.pool.keeps_instances() {
            return;
        }
        if instance.store.data().limiter.near_limit() {
            tracing::debug!(
                plugin = %self.template.context.name,
                "retiring a warm instance that has grown close to its memory limit"
            );
            metrics.retired();
            return;
        }
        drop(self.pool.keep(instance));
    }
}
