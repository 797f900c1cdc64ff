//! Per-plugin metrics: calls, errors by kind, and a latency histogram. Lock-free: recording is
//! a few atomic adds on the call path.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::Serialize;

use crate::error::ErrorKind;

/// Upper bounds of the latency buckets, in microseconds (a 1-2-5 series from 1 µs to 50 s);
/// one more bucket counts everything slower.
pub const LATENCY_BUCKETS_US: [u64; 24] = [
    1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000,
    200_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000, 20_000_000, 50_000_000,
];

/// Live counters of one plugin.
#[derive(Debug, Default)]
pub(crate) struct Metrics {
    calls: AtomicU64,
    errors: [AtomicU64; ErrorKind::ALL.len()],
    buckets: [AtomicU64; LATENCY_BUCKETS_US.len() + 1],
    total_ns: AtomicU64,
    retired: AtomicU64,
}

impl Metrics {
    pub(crate) fn record(&self, elapsed: Duration, error: Option<ErrorKind>) {
        self.calls.fetch_add(1, Ordering::Relaxed);
        if let Some(kind) = error {
            self.errors[kind as usize].fetch_add(1, Ordering::Relaxed);
        }
        let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        let bucket = LATENCY_BUCKETS_US.partition_point(|&bound| bound < micros);
        self.buckets[bucket].fetch_add(1, Ordering::Relaxed);
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        self.total_ns.fetch_add(nanos, Ordering::Relaxed);
    }

    /// Counts a warm instance retired because it had grown close to its memory limit.
    pub(crate) fn retired(&self) {
        self.retired.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> MetricsSnapshot {
        let errors = ErrorKind::ALL
            .iter()
            .map(|&kind| (kind, self.errors[kind as usize].load(Ordering::Relaxed)))
            .filter(|&(_, n)| n > 0)
            .collect();
        MetricsSnapshot {
            calls: self.calls.load(Ordering::Relaxed),
            errors,
            retired_instances: self.retired.load(Ordering::Relaxed),
            remote: None,
            latency: LatencyHistogram {
                counts: self
                    .buckets
                    .iter()
                    .map(|b| b.load(Ordering::Relaxed))
                    .collect(),
                total: Duration::from_nanos(self.total_ns.load(Ordering::Relaxed)),
            },
        }
    }
}

/// A copy of a plugin's counters at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetricsSnapshot {
    /// Calls made, successful or not.
    pub calls: u64,
    /// Failed calls by kind; kinds that never occurred are absent.
    pub errors: BTreeMap<ErrorKind, u64>,
    /// Warm instances retired instead of reused because they had grown to within an eighth
    /// of the plugin's memory limit (each costs the next call a fresh instance).
    pub retired_instances: u64,
    /// Call latencies.
    pub latency: LatencyHistogram,
    /// What only a remote plugin has (retries, its circuit breaker); `None` for a WebAssembly
    /// plugin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote: Option<RemoteMetrics>,
}

/// The counters of a remote plugin beyond those every plugin has. Its failures by kind
/// (`unavailable`, `remote`, `remote-protocol`, `timeout`, ...) are in
/// [`MetricsSnapshot::errors`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemoteMetrics {
    /// Attempts repeated after a failure that was safe to retry.
    pub retries: u64,
    /// The circuit breaker's state now.
    pub breaker: BreakerState,
    /// How many times the breaker has opened.
    pub breaker_opened: u64,
    /// Background health checks made.
    pub health_checks: u64,
    /// Background health checks that failed.
    pub health_failures: u64,
    /// `authenticate` calls answered by the `on-unavailable` choice (deny or allow) because
    /// the remote was unavailable.
    pub fallbacks: u64,
    /// Calls in flight now.
    pub in_flight: u64,
}

/// The state of a remote plugin's circuit breaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BreakerState {
    /// Calls go through.
    Closed,
    /// Calls fail fast without reaching the remote.
    Open,
    /// One probe call is allowed through; its outcome closes or reopens the breaker.
    HalfOpen,
}

impl MetricsSnapshot {
    /// Failed calls of every kind.
    pub fn error_count(&self) -> u64 {
        self.errors.values().sum()
    }
}

/// Call latencies in buckets whose upper bounds are [`LATENCY_BUCKETS_US`], plus one bucket
/// for slower calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LatencyHistogram {
    /// Calls per bucket.
    pub counts: Vec<u64>,
    /// The sum of all latencies.
    pub total: Duration,
}

impl LatencyHistogram {
    /// The upper bound of the bucket holding quantile `q` (0.0 to 1.0); `None` with no calls,
    /// [`Duration::MAX`] when it falls in the open-ended bucket.
    pub fn quantile(&self, q: f64) -> Option<Duration> {
        let total: u64 = self.counts.iter().sum();
        if total == 0 {
            return None;
        }
        let rank = ((q.clamp(0.0, 1.0) * total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (i, &count) in self.counts.iter().enumerate() {
            seen += count;
            if seen >= rank {
                return Some(
                    LATENCY_BUCKETS_US
                        .get(i)
                        .map_or(Duration::MAX, |&us| Duration::from_micros(us)),
                );
            }
        }
        Some(Duration::MAX)
    }

    /// The mean latency; `None` with no calls.
    pub fn mean(&self) -> Option<Duration> {
        let total: u64 = self.counts.iter().sum();
        (total > 0).then(|| self.total / u32::try_from(total).unwrap_or(u32::MAX))
    }
}

/// Live counters of a host's compiled-artifact cache.
#[derive(Debug, Default)]
pub(crate) struct CacheCounters {
    hits: AtomicU64,
    stored: AtomicU64,
    rejected: AtomicU64,
}

impl CacheCounters {
    /// Counts a component loaded from the cache.
    pub(crate) fn hit(&self) {
        self.hits.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a compiled component stored in the cache.
    pub(crate) fn stored(&self) {
        self.stored.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a cached file that failed a check and was deleted.
    pub(crate) fn rejected(&self) {
        self.rejected.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> ArtifactCacheMetrics {
        ArtifactCacheMetrics {
            hits: self.hits.load(Ordering::Relaxed),
            stored: self.stored.load(Ordering::Relaxed),
            rejected: self.rejected.load(Ordering::Relaxed),
        }
    }
}

/// A copy of a host's compiled-artifact cache counters
/// ([`PluginHost::artifact_cache_metrics`](crate::PluginHost::artifact_cache_metrics)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ArtifactCacheMetrics {
    /// Components loaded from the cache instead of compiled.
    pub hits: u64,
    /// Compiled components stored in the cache.
    pub stored: u64,
    /// Cached files that failed a check (owner, mode, integrity tag, wasmtime's own checks)
    /// and were deleted; their plugins were recompiled.
    pub rejected: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_calls_errors_and_latency() {
        let metrics = Metrics::default();
        metrics.record(Duration::from_micros(3), None);
        metrics.record(Duration::from_micros(3), None);
        metrics.record(Duration::from_millis(150), Some(ErrorKind::Timeout));
        let snap = metrics.snapshot();
        assert_eq!(snap.calls, 3);
        assert_eq!(snap.error_count(), 1);
        assert_eq!(snap.errors[&ErrorKind::Timeout], 1);
        assert_eq!(snap.latency.quantile(0.5), Some(Duration::from_micros(5)));
        assert_eq!(snap.latency.quantile(1.0), Some(Duration::from_millis(200)));
        assert_eq!(
            snap.latency.mean(),
            Some((Duration::from_micros(6) + Duration::from_millis(150)) / 3)
        );
    }

    #[test]
    fn slow_calls_land_in_the_open_bucket() {
        let metrics = Metrics::default();
        metrics.record(Duration::from_secs(100), None);
        assert_eq!(
            metrics.snapshot().latency.quantile(0.5),
            Some(Duration::MAX)
        );
        assert_eq!(Metrics::default().snapshot().latency.quantile(0.5), None);
    }
}
