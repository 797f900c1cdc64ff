//! The pooling allocator's sizes for the fresh-per-call peers (bare wasmtime 48 and Extism's
//! wasmtime 43): small totals for one plugin, and the host's keep-resident tuning (see
//! host/src/engine.rs), so that each fresh row pays for its call path, not for a default pool.

/// The sizes, in the units of wasmtime's `PoolingAllocationConfig`.
pub struct Pooling {
    /// Component (and Extism plugin) instances alive at once.
    pub instances: u32,
    /// Core module instances alive at once.
    pub core_instances: u32,
    /// Linear memories alive at once.
    pub memories: u32,
    /// Tables alive at once.
    pub tables: u32,
    /// The most one linear memory may grow to (the host's default cap, 512 MiB).
    pub max_memory_bytes: usize,
    /// Memory kept resident in a slot between instances (the host's 256 KiB).
    pub memory_keep_resident: usize,
    /// Table memory kept resident in a slot between instances (the host's 64 KiB).
    pub table_keep_resident: usize,
}

/// The sizes both fresh peers use.
pub fn pooling() -> Pooling {
    Pooling {
        instances: 16,
        core_instances: 64,
        memories: 32,
        tables: 64,
        max_memory_bytes: 512 << 20,
        memory_keep_resident: 256 * 1024,
        table_keep_resident: 64 * 1024,
    }
}
