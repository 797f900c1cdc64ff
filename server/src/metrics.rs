//! Prometheus metrics (prometheus-client): per route, requests by status, counted as they
//! happen; per plugin, read from the host and the chains at scrape time.

use std::sync::{Arc, Weak};

use mockforge_component_host::{ErrorKind, LATENCY_BUCKETS_US};
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::MetricType;
use prometheus_client::registry::Registry;

use crate::state::Shared;

/// Labels of a per-route counter: the route template (or `unmatched`), the method, the status.
pub type RouteLabels = Vec<(&'static str, String)>;

/// The server's registry and the counters it updates as requests pass.
#[derive(Debug)]
pub struct ServerMetrics {
    registry: Registry,
    requests: Family<RouteLabels, Counter>,
    reloads: Family<RouteLabels, Counter>,
}

impl ServerMetrics {
    /// A registry with the server's metrics; plugin metrics are read from `shared` at scrape
    /// time.
    pub fn new(shared: Weak<Shared>) -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RouteLabels, Counter>::default();
        registry.register(
            "mockforge_http_requests",
            "Requests answered, by route template (or `unmatched`), method and status",
            requests.clone(),
        );
        let reloads = Family::<RouteLabels, Counter>::default();
        registry.register(
            "mockforge_reloads",
            "Reloads of the configuration and plugins, by result (`ok`, `failed`)",
            reloads.clone(),
        );
        registry.register_collector(Box::new(PluginCollector { shared }));
        Self {
            registry,
            requests,
            reloads,
        }
    }

    /// Counts an answered request.
    pub fn request(&self, route: &str, method: &str, status: u16) {
        self.requests
            .get_or_create(&vec![
                ("route", route.to_owned()),
                ("method", method.to_owned()),
                ("status", status.to_string()),
            ])
            .inc();
    }

    /// Counts a reload.
    pub fn reload(&self, ok: bool) {
        let result = if ok { "ok" } else { "failed" };
        self.reloads
            .get_or_create(&vec![("result", result.to_owned())])
            .inc();
    }

    /// The Prometheus text exposition (format 0.0.4).
    pub fn render(&self) -> String {
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::prometheus_text::encode(&mut text, &self.registry);
        text
    }
}

/// The content type of [`ServerMetrics::render`].
pub const CONTENT_TYPE: &str = prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

/// Reads every plugin's metrics from the current generation at scrape time.
#[derive(Debug)]
struct PluginCollector {
    shared: Weak<Shared>,
}

fn kind_label(kind: ErrorKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{kind:?}"))
}

impl Collector for PluginCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let Some(shared) = self.shared.upgrade() else {
            return Ok(());
        };
        let cache = shared.host.artifact_cache_metrics();
        let generation = shared.current();
        let plugins: Vec<_> = generation
            .plugins
            .iter()
            .map(|p| {
                let chained = &p.chained;
                (
                    chained.name().to_owned(),
                    chained.plugin().metrics(),
                    chained.plugin().warm_instances(),
                    chained.breaker_state(),
                    chained.breaker_handle().opened(),
                    chained.stats_handle().counters(),
                )
            })
            .collect();
        drop(generation);

        let counter = ConstCounter::new(0u64).metric_type();
        let gauge = ConstGauge::new(0i64).metric_type();

        for (name, help, value) in [
            (
                "mockforge_artifact_cache_hits",
                "Components loaded from the compiled-artifact cache instead of compiled",
                cache.hits,
            ),
            (
                "mockforge_artifact_cache_stored",
                "Compiled components stored in the artifact cache",
                cache.stored,
            ),
            (
                "mockforge_artifact_cache_rejected",
                "Cached artifacts that failed a check (owner, mode, integrity tag) and were deleted",
                cache.rejected,
            ),
        ] {
            let metric = encoder.encode_descriptor(name, help, None, counter)?;
            ConstCounter::new(value).encode(metric)?;
        }

        {
            let mut family = encoder.encode_descriptor(
                "mockforge_plugin_calls",
                "Calls of each plugin",
                None,
                counter,
            )?;
            for (name, metrics, ..) in &plugins {
                let labels = vec![("plugin", name.clone())];
                ConstCounter::new(metrics.calls).encode(family.encode_family(&labels)?)?;
            }
        }
        {
            let mut family = encoder.encode_descriptor(
                "mockforge_plugin_errors",
                "Failed calls of each plugin, by kind (trap, timeout, unavailable, ...)",
                None,
                counter,
            )?;
            for (name, metrics, ..) in &plugins {
                for (kind, count) in &metrics.errors {
                    let labels = vec![("plugin", name.clone()), ("kind", kind_label(*kind))];
                    ConstCounter::new(*count).encode(family.encode_family(&labels)?)?;
                }
            }
        }
        {
            let mut family = encoder.encode_descriptor(
                "mockforge_plugin_call_duration_seconds",
                "Latency of each plugin's calls",
                None,
                MetricType::Histogram,
            )?;
            for (name, metrics, ..) in &plugins {
                let labels = vec![("plugin", name.clone())];
                // Per-bucket counts: the encoder makes them cumulative.
                let mut buckets = Vec::with_capacity(LATENCY_BUCKETS_US.len() + 1);
                for (i, bound) in LATENCY_BUCKETS_US.iter().enumerate() {
                    let n = metrics.latency.counts.get(i).copied().unwrap_or(0);
                    buckets.push((*bound as f64 / 1e6, n));
                }
                let slower = metrics
                    .latency
                    .counts
                    .get(LATENCY_BUCKETS_US.len())
                    .copied()
                    .unwrap_or(0);
                buckets.push((f64::INFINITY, slower));
                let count: u64 = metrics.latency.counts.iter().sum();
                let mut encoder = family.encode_family(&labels)?;
                encoder.encode_histogram::<RouteLabels>(
                    metrics.latency.total.as_secs_f64(),
                    count,
                    &buckets,
                    None,
                )?;
            }
        }
        {
            let mut family = encoder.encode_descriptor(
                "mockforge_plugin_warm_instances",
                "Warm instances each plugin keeps",
                None,
                gauge,
            )?;
            for (name, _, warm, ..) in &plugins {
                ConstGauge::new(*warm as i64)
                    .encode(family.encode_family(&vec![("plugin", name.clone())])?)?;
            }
        }
        {
            let mut family = encoder.encode_descriptor(
                "mockforge_plugin_retired_instances",
                "Warm instances retired near their memory limit",
                None,
                counter,
            )?;
            for (name, metrics, ..) in &plugins {
                ConstCounter::new(metrics.retired_instances)
                    .encode(family.encode_family(&vec![("plugin", name.clone())])?)?;
            }
        }
        {
            let mut family = encoder.encode_descriptor(
                "mockforge_plugin_breaker_state",
                "Each plugin's breaker: 0 closed, 1 open (cooling down), 2 half-open (probing)",
                None,
                gauge,
            )?;
            for (name, _, _, state, ..) in &plugins {
                ConstGauge::new(state.as_gauge())
                    .encode(family.encode_family(&vec![("plugin", name.clone())])?)?;
            }
        }
        {
            let mut family = encoder.encode_descriptor(
                "mockforge_plugin_breaker_opened",
                "Times each plugin was taken out of the path after repeated failures",
                None,
                counter,
            )?;
            for (name, _, _, _, opened, _) in &plugins {
                ConstCounter::new(*opened)
                    .encode(family.encode_family(&vec![("plugin", name.clone())])?)?;
            }
        }
        {
            let mut family = encoder.encode_descriptor(
                "mockforge_plugin_outcomes",
                "What the chains did with each plugin (allowed, denied, produced, declined, modified, failed, skipped)",
                None,
                counter,
            )?;
            for (name, _, _, _, _, counters) in &plugins {
                for (outcome, count) in counters {
                    let labels = vec![("plugin", name.clone()), ("outcome", (*outcome).to_owned())];
                    ConstCounter::new(*count).encode(family.encode_family(&labels)?)?;
                }
            }
        }
        Ok(())
    }
}

#[allow(dead_code)]
fn _assert_send_sync(m: Arc<ServerMetrics>) -> impl Send + Sync {
    m
}
