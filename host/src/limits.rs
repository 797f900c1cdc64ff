//! Per-plugin limits: what a manifest asks for, capped by what the embedder allows, and the
//! resource limiter that enforces memory inside a store.

use std::time::Duration;

use crate::manifest::{ComponentManifest, InstanceStrategy, RequestedLimits};

/// Memory a plugin gets when its manifest names none: enough for the Python and JavaScript
/// runtimes, small enough that a few hundred instances fit in RAM.
pub const DEFAULT_MEMORY_MIB: u64 = 64;
/// The most memory any plugin may ask for unless the embedder raises it.
pub const MAX_MEMORY_MIB: u64 = 512;
/// Time per call when the manifest names none: a mock should answer within interactive time.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);
/// The longest time per call a plugin may ask for unless the embedder raises it.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(30);
/// Instances of one plugin alive at once when the manifest names none.
pub const DEFAULT_MAX_INSTANCES: u32 = 16;
/// The most instances of one plugin alive at once unless the embedder raises it.
pub const MAX_INSTANCES: u32 = 128;
/// Warm instances kept for a pooled plugin when the manifest names no pool size.
pub const DEFAULT_POOL_SIZE: u32 = 4;
/// Keys a plugin's key-value store holds when the manifest names no cap.
pub const DEFAULT_KV_MAX_KEYS: u64 = 10_000;
/// The most keys any plugin's key-value store may hold unless the embedder raises it.
pub const MAX_KV_KEYS: u64 = 1_000_000;
/// Bytes (keys and values together) a plugin's key-value store holds when the manifest names
/// no cap: 16 MiB.
pub const DEFAULT_KV_MAX_BYTES: u64 = 16 << 20;
/// The most bytes any plugin's key-value store may hold unless the embedder raises it: 256 MiB.
pub const MAX_KV_BYTES: u64 = 256 << 20;
/// The longest key of a key-value store, in bytes.
pub const KV_MAX_KEY_BYTES: u64 = 512;
/// The longest value of a key-value store when the manifest names none: 1 MiB (never more
/// than the store's byte cap).
pub const DEFAULT_KV_MAX_VALUE_BYTES: u64 = 1 << 20;

/// Table elements an instance may grow to: interpreters (Python, JavaScript) keep large
/// function tables, but an unbounded table is a memory bomb of its own.
pub const MAX_TABLE_ELEMENTS: usize = 1 << 20;

/// The embedder's defaults and caps for plugin limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitCaps {
    /// Memory for plugins whose manifest names none, in MiB. Default [`DEFAULT_MEMORY_MIB`].
    pub default_memory_mib: u64,
    /// The most memory a plugin may have, in MiB. Default [`MAX_MEMORY_MIB`].
    pub max_memory_mib: u64,
    /// Time per call for plugins whose manifest names none. Default [`DEFAULT_TIMEOUT`].
    pub default_timeout: Duration,
    /// The longest time per call a plugin may have. Default [`MAX_TIMEOUT`].
    pub max_timeout: Duration,
    /// Concurrent instances for plugins whose manifest names none. Default
    /// [`DEFAULT_MAX_INSTANCES`].
    pub default_max_instances: u32,
    /// The most concurrent instances of one plugin. Default [`MAX_INSTANCES`].
    pub max_instances: u32,
    /// Whether plugins may ask for a pool of warm instances. Default `true`.
    pub allow_pooled: bool,
    /// The most keys one plugin's key-value store may hold. Default [`MAX_KV_KEYS`].
    pub max_kv_keys: u64,
    /// The most bytes (keys and values) one plugin's key-value store may hold. Default
    /// [`MAX_KV_BYTES`].
    pub max_kv_bytes: u64,
}

impl Default for LimitCaps {
    fn default() -> Self {
        Self {
            default_memory_mib: DEFAULT_MEMORY_MIB,
            max_memory_mib: MAX_MEMORY_MIB,
            default_timeout: DEFAULT_TIMEOUT,
            max_timeout: MAX_TIMEOUT,
            default_max_instances: DEFAULT_MAX_INSTANCES,
            max_instances: MAX_INSTANCES,
            allow_pooled: true,
            max_kv_keys: MAX_KV_KEYS,
            max_kv_bytes: MAX_KV_BYTES,
        }
    }
}

/// The limits in force for one plugin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Limits {
    /// Linear memory of one instance, summed over its memories, in bytes.
    pub memory_bytes: u64,
    /// Wall-clock time per call.
    pub timeout: Duration,
    /// Instances alive at once; further calls wait for one to finish.
    pub max_instances: u32,
    /// How instances are created.
    pub strategy: InstanceStrategy,
    /// Warm instances kept when pooled.
    pub pool_size: u32,
    /// The caps of its key-value store.
    pub kv: KvLimits,
}

/// The caps of one plugin's key-value store (contract 0.2's `kv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct KvLimits {
    /// The most live keys.
    pub max_keys: u64,
    /// The most bytes of keys and values together.
    pub max_bytes: u64,
    /// The longest key, in bytes.
    pub max_key_bytes: u64,
    /// The longest value, in bytes.
    pub max_value_bytes: u64,
}

impl KvLimits {
    /// No store at all: what a remote plugin has.
    pub const NONE: Self = Self {
        max_keys: 0,
        max_bytes: 0,
        max_key_bytes: 0,
        max_value_bytes: 0,
    };

    /// The caps of a plugin that asks for nothing, under `caps`.
    pub fn defaults(caps: &LimitCaps) -> Self {
        Self::resolve(&RequestedLimits::default(), caps)
    }

    /// What `requested` asks for, defaults filled in, capped by `caps`.
    pub fn resolve(requested: &RequestedLimits, caps: &LimitCaps) -> Self {
        let max_bytes = requested
            .kv_max_bytes
            .unwrap_or(DEFAULT_KV_MAX_BYTES)
            .min(caps.max_kv_bytes);
        Self {
            max_keys: requested
                .kv_max_keys
                .unwrap_or(DEFAULT_KV_MAX_KEYS)
                .min(caps.max_kv_keys),
            max_bytes,
            max_key_bytes: KV_MAX_KEY_BYTES,
            max_value_bytes: requested
                .kv_max_value_bytes
                .unwrap_or(DEFAULT_KV_MAX_VALUE_BYTES)
                .min(max_bytes),
        }
    }
}

impl Limits {
    /// The manifest's request, with defaults filled in and every value capped;
    /// `default_strategy` applies when the manifest names no instance strategy.
    pub fn resolve(
        manifest: &ComponentManifest,
        caps: &LimitCaps,
        default_strategy: InstanceStrategy,
    ) -> Self {
        let memory_mib = manifest
            .limits
            .memory_mib
            .unwrap_or(caps.default_memory_mib)
            .min(caps.max_memory_mib);
        let timeout = manifest
            .limits
            .timeout_ms
            .map(Duration::from_millis)
            .unwrap_or(caps.default_timeout)
            .min(caps.max_timeout);
        let max_instances = manifest
            .limits
            .max_instances
            .unwrap_or(caps.default_max_instances)
            .min(caps.max_instances);
        let strategy = match manifest.instances.strategy.unwrap_or(default_strategy) {
            InstanceStrategy::Pooled if caps.allow_pooled => InstanceStrategy::Pooled,
            _ => InstanceStrategy::Fresh,
        };
        let pool_size = manifest
            .instances
            .pool_size
            .unwrap_or(DEFAULT_POOL_SIZE)
            .min(max_instances);
        Self {
            memory_bytes: memory_mib << 20,
            timeout,
            max_instances,
            strategy,
            pool_size,
            kv: KvLimits::resolve(&manifest.limits, caps),
        }
    }
}

/// Enforces a plugin's memory limit inside its store, and remembers whether the limit was hit
/// so that the resulting trap can be reported as a memory-limit error.
pub(crate) struct MemoryLimiter {
    limit: usize,
    /// Bytes of linear memory across all of the instance's memories.
    used: usize,
    /// `used` when the instance's first call began, once it has.
    started_with: Option<usize>,
    pub(crate) hit: bool,
}

impl MemoryLimiter {
    pub(crate) fn new(limit_bytes: u64) -> Self {
        Self {
            limit: usize::try_from(limit_bytes).unwrap_or(usize::MAX),
            used: 0,
            started_with: None,
            hit: false,
        }
    }

    /// Notes that a call begins: the first one records the memory the instance started with
    /// (its start-up code has run by then).
    pub(crate) fn call_begins(&mut self) {
        self.started_with.get_or_insert(self.used);
    }

    /// Whether the instance has grown, over its calls, to within an eighth of its limit.
    ///
    /// Such an instance is retired instead of reused: linear memory never shrinks, and a
    /// guest whose heap creeps up call after call (StarlingMonkey's does, by about a kilobyte
    /// a call) would otherwise fail one of its callers with a memory-limit error when it
    /// reaches the limit. The next call starts a fresh instance instead. An instance that
    /// started that large is kept as long as it does not grow.
    pub(crate) fn near_limit(&self) -> bool {
        let started_with = self.started_with.unwrap_or(self.used);
        self.used > started_with && self.used > self.limit - self.limit / 8
    }
}

impl wasmtime::ResourceLimiter for MemoryLimiter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let after = self.used - current.min(self.used) + desired;
        if after > self.limit {
            self.hit = true;
            return Ok(false);
        }
        self.used = after;
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= MAX_TABLE_ELEMENTS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmtime::ResourceLimiter;

    #[test]
    fn an_instance_is_near_its_limit_once_it_has_grown_into_the_last_eighth() {
        const MIB: usize = 1 << 20;
        let mut limiter = MemoryLimiter::new(16 << 20);
        limiter.memory_growing(0, 4 * MIB, None).unwrap();
        limiter.call_begins();
        limiter.memory_growing(4 * MIB, 14 * MIB, None).unwrap();
        assert!(
            !limiter.near_limit(),
            "14 of 16 MiB is not past the last eighth"
        );
        limiter.memory_growing(14 * MIB, 15 * MIB, None).unwrap();
        limiter.call_begins();
        assert!(
            limiter.near_limit(),
            "15 of 16 MiB, grown since the first call"
        );

        // An instance that starts in the last eighth is kept while it does not grow.
        let mut large = MemoryLimiter::new(16 << 20);
        large.memory_growing(0, 15 * MIB, None).unwrap();
        large.call_begins();
        assert!(!large.near_limit());
        large
            .memory_growing(15 * MIB, 15 * MIB + 65536, None)
            .unwrap();
        assert!(large.near_limit());
    }

    #[test]
    fn manifest_values_are_capped_and_defaults_filled() {
        let mut manifest = ComponentManifest::default();
        let caps = LimitCaps::default();
        let limits = Limits::resolve(&manifest, &caps, InstanceStrategy::Fresh);
        assert_eq!(limits.memory_bytes, DEFAULT_MEMORY_MIB << 20);
        assert_eq!(limits.timeout, DEFAULT_TIMEOUT);
        assert_eq!(limits.strategy, InstanceStrategy::Fresh);

        manifest.limits.memory_mib = Some(100_000);
        manifest.limits.timeout_ms = Some(3_600_000);
        manifest.limits.max_instances = Some(10_000);
        manifest.instances.strategy = Some(InstanceStrategy::Pooled);
        manifest.instances.pool_size = Some(10_000);
        let limits = Limits::resolve(&manifest, &caps, InstanceStrategy::Fresh);
        assert_eq!(limits.memory_bytes, MAX_MEMORY_MIB << 20);
        assert_eq!(limits.timeout, MAX_TIMEOUT);
        assert_eq!(limits.max_instances, MAX_INSTANCES);
        assert_eq!(limits.pool_size, MAX_INSTANCES);
        assert_eq!(limits.strategy, InstanceStrategy::Pooled);

        let no_pools = LimitCaps {
            allow_pooled: false,
            ..caps
        };
        assert_eq!(
            Limits::resolve(&manifest, &no_pools, InstanceStrategy::Fresh).strategy,
            InstanceStrategy::Fresh
        );
    }

    #[test]
    fn limiter_sums_memories_and_records_a_hit() {
        let mut limiter = MemoryLimiter::new(10);
        assert!(limiter.memory_growing(0, 4, None).unwrap());
        assert!(limiter.memory_growing(0, 4, None).unwrap());
        assert!(limiter.memory_growing(4, 6, None).unwrap());
        assert!(!limiter.hit);
        assert!(!limiter.memory_growing(4, 7, None).unwrap());
        assert!(limiter.hit);
    }
}
