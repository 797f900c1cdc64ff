//! The Extism peer (extism 1.30, on wasmtime 43): benches/extism-plugin's `authenticate` called
//! the way an Extism embedder calls it, with the request encoded as JSON and the JSON output
//! decoded into the host's outcome.
//!
//! What Extism 1.30 offers for a plugin per call: `PluginBuilder::compile` makes a
//! `CompiledPlugin` (the engine and the compiled modules, its own and Extism's kernel), and
//! `Plugin::new_from_compiled` makes a plugin from it without compiling, with a new store and a
//! new linker (its host functions and, with WASI on, preview 1); the instances are made on the
//! first call. It has no `InstancePre` of its own to reuse across plugins, and no pooling
//! option, but `PluginBuilder::with_wasmtime_config` takes a wasmtime `Config` whose allocation
//! strategy it keeps, so the fresh peer uses the pooling allocator (sized as in pool.rs).
//! `extism::Pool` is a checkout pool of whole plugins for concurrency, not an instance pool.
//!
//! Both peers run without WASI (the plugin is built for wasm32-unknown-unknown and imports
//! none), without a fuel limit, without a timeout and with the compilation cache off: Extism's
//! least work per call.

use std::sync::Arc;

use extism::{CompiledPlugin, Plugin, PluginBuilder};
use mockforge_component_host::{AuthOutcome, Request};

use super::extism_wire::{decode, encode};
use super::pool::pooling;

/// The plugin's export.
const EXPORT: &str = "authenticate";

/// One call: the request encoded, `authenticate` called, its output decoded.
fn authenticate(plugin: &mut Plugin, request: &Request) -> Result<AuthOutcome, extism::Error> {
    let input = encode(request)?;
    let output: &[u8] = plugin.call(EXPORT, input.as_slice())?;
    Ok(decode(output)?)
}

/// The plugin `wasm` as Extism is given it: no WASI, no compilation cache.
fn builder(wasm: &[u8]) -> PluginBuilder<'_> {
    PluginBuilder::new(wasm)
        .with_wasi(false)
        .with_cache_disabled()
}

/// One plugin, called again and again (its instances made on the first call and kept).
pub struct ExtismReused {
    plugin: Plugin,
}

impl ExtismReused {
    /// Compiles `wasm` and makes the one plugin, with wasmtime's default configuration.
    pub fn new(wasm: &[u8]) -> Result<Self, extism::Error> {
        Ok(Self {
            plugin: builder(wasm).build()?,
        })
    }

    /// Calls `authenticate` on the one plugin.
    pub fn authenticate(&mut self, request: &Arc<Request>) -> Result<AuthOutcome, extism::Error> {
        authenticate(&mut self.plugin, request)
    }
}

/// A new plugin per call from one `CompiledPlugin` on a pooling engine.
pub struct ExtismFresh {
    compiled: CompiledPlugin,
}

impl ExtismFresh {
    /// Compiles `wasm` once, on an engine with the pooling allocator.
    pub fn new(wasm: &[u8]) -> Result<Self, extism::Error> {
        let pool = pooling();
        let mut allocation = extism_wasmtime::PoolingAllocationConfig::new();
        allocation
            .total_component_instances(pool.instances)
            .total_core_instances(pool.core_instances)
            .total_memories(pool.memories)
            .total_tables(pool.tables)
            .total_stacks(pool.instances)
            .total_gc_heaps(pool.instances)
            .max_memory_size(pool.max_memory_bytes)
            .linear_memory_keep_resident(pool.memory_keep_resident)
            .table_keep_resident(pool.table_keep_resident)
            .pagemap_scan(extism_wasmtime::Enabled::Auto);
        let mut config = extism_wasmtime::Config::new();
        config.allocation_strategy(extism_wasmtime::InstanceAllocationStrategy::Pooling(
            allocation,
        ));
        Ok(Self {
            compiled: builder(wasm).with_wasmtime_config(config).compile()?,
        })
    }

    /// Makes a plugin, calls `authenticate` once and drops the plugin.
    pub fn authenticate(&self, request: &Arc<Request>) -> Result<AuthOutcome, extism::Error> {
        let mut plugin = Plugin::new_from_compiled(&self.compiled)?;
        authenticate(&mut plugin, request)
    }
}
