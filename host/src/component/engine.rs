//! The wasmtime engine, set up once per host: component model, epoch interruption driven by a
//! ticker thread, and the pooling allocator (falling back to on-demand allocation where the
//! machine cannot reserve the pool's virtual memory).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use wasmtime::{
    Config, Enabled, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, ProfilingStrategy,
};

use crate::host_config::{Allocation, HostConfig, Profiler};

/// Core instances one component may hold: componentize-py links a dozen modules (38 with
/// `--stub-wasi`); Rust and C components use two to four.
const MAX_CORE_INSTANCES_PER_COMPONENT: u32 = 64;
/// Memories one component may hold (the main memory plus adapters' own).
const MAX_MEMORIES_PER_COMPONENT: u32 = 4;
/// Tables one component may hold.
const MAX_TABLES_PER_COMPONENT: u32 = 16;
/// Elements per table in a pool slot; interpreters keep tables of tens of thousands.
const POOL_TABLE_ELEMENTS: usize = 100_000;
/// Memory kept resident in a pool slot between instances: a guest's stack and its first
/// heap pages are reused without page faults, and a larger amount would cost more to clear
/// than it saves.
const POOL_MEMORY_KEEP_RESIDENT: usize = 256 * 1024;
/// Table memory kept resident in a pool slot between instances.
const POOL_TABLE_KEEP_RESIDENT: usize = 64 * 1024;

/// Which allocator the engine ended up with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AllocatorInUse {
    /// The pooling allocator, with this many instance slots.
    Pooling {
        /// Component instances alive at once across all plugins.
        slots: u32,
    },
    /// Memory is mapped per instance, on demand.
    OnDemand,
}

/// Builds the engine; with [`Allocation::Pooling`] a failure to reserve the pool falls back
/// to on-demand allocation with a warning.
pub(crate) fn build_engine(config: &HostConfig) -> anyhow::Result<(Engine, AllocatorInUse)> {
    let mut base = Config::new();
    base.wasm_component_model(true)
        .epoch_interruption(true)
        // Component-model async (streams, futures) is not used by the plugin WIT, and turning
        // it off takes ~0.5 µs off every call.
        .concurrency_support(false)
        .cranelift_opt_level(wasmtime::OptLevel::Speed);
    base.profiler(match config.profiler {
        Profiler::None => ProfilingStrategy::None,
        Profiler::PerfMap => ProfilingStrategy::PerfMap,
        Profiler::JitDump => ProfilingStrategy::JitDump,
    });

    if config.allocation == Allocation::Pooling {
        let mut pooled = base.clone();
        pooled.allocation_strategy(InstanceAllocationStrategy::Pooling(pool_config(config)));
        match Engine::new(&pooled) {
            Ok(engine) => {
                let slots = config.instance_slots;
                return Ok((engine, AllocatorInUse::Pooling { slots }));
            }
            Err(err) => tracing::warn!(
                "pooling allocator unavailable ({err}); falling back to on-demand allocation"
            ),
        }
    }
    let engine = Engine::new(&base).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok((engine, AllocatorInUse::OnDemand))
}

fn pool_config(config: &HostConfig) -> PoolingAllocationConfig {
    let slots = config.instance_slots;
    let max_memory = usize::try_from(config.caps.max_memory_mib << 20).unwrap_or(usize::MAX);
    let mut pool = PoolingAllocationConfig::new();
    pool.total_component_instances(slots)
        .total_core_instances(slots.saturating_mul(MAX_CORE_INSTANCES_PER_COMPONENT / 4))
        .total_memories(slots.saturating_mul(2))
        .total_tables(slots.saturating_mul(4))
        .total_stacks(slots)
        .max_core_instances_per_component(MAX_CORE_INSTANCES_PER_COMPONENT)
        .max_memories_per_component(MAX_MEMORIES_PER_COMPONENT)
        .max_tables_per_component(MAX_TABLES_PER_COMPONENT)
        .table_elements(POOL_TABLE_ELEMENTS)
        .max_memory_size(max_memory)
        .linear_memory_keep_resident(POOL_MEMORY_KEEP_RESIDENT)
        .table_keep_resident(POOL_TABLE_KEEP_RESIDENT)
        // Resets only the pages an instance dirtied (Linux 6.7 and later).
        .pagemap_scan(Enabled::Auto);
    pool
}

/// Advances the engine's epoch every `tick`, which is how running plugins notice their
/// deadline. Stops when dropped.
pub(crate) struct EpochTicker {
    stop: Arc<AtomicBool>,
}

impl EpochTicker {
    pub(crate) fn start(engine: &Engine, tick: Duration) -> std::io::Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let engine = engine.clone();
        let stopped = stop.clone();
        std::thread::Builder::new()
            .name("mockforge-epoch".into())
            .spawn(move || {
                while !stopped.load(Ordering::Relaxed) {
                    std::thread::sleep(tick);
                    engine.increment_epoch();
                }
            })?;
        Ok(Self { stop })
    }
}

impl Drop for EpochTicker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}
