//! The per-instance state kept in a wasmtime `Store`, and how a store is set up: WASI with
//! only what the plugin was granted, the memory limiter, and the epoch deadline.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use wasmtime::component::ResourceTable;
use wasmtime::{Engine, Store, UpdateDeadline};
use wasmtime_wasi::filesystem::WasiFilesystemCtx;
use wasmtime_wasi::{FsPerms, WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

use crate::answer::AnswerLimits;
use crate::component::kv_store::KvStore;
use crate::component::stdio::{PluginOutput, Stream};
use crate::limits::{Limits, MemoryLimiter};
use crate::output_caps::{OutputBudget, OutputLimits};
use crate::policy::{Grant, OpenedDir};

/// What every instance of one plugin shares.
pub(crate) struct PluginContext {
    pub(crate) name: Arc<str>,
    pub(crate) config: BTreeMap<String, String>,
    pub(crate) grant: Grant,
    pub(crate) limits: Limits,
    /// The granted directories, opened once at load.
    pub(crate) dirs: Vec<OpenedDir>,
    /// WASI's view of `dirs`, cloned into every instance (clones share the open folders).
    pub(crate) preopens: WasiFilesystemCtx,
    /// What its answers may hold.
    pub(crate) answers: AnswerLimits,
    /// What each call may write to the log.
    pub(crate) output: OutputLimits,
    /// Its key-value store (contract 0.2), shared with every instance.
    pub(crate) kv: Arc<KvStore>,
}

impl PluginContext {
    /// The first granted directory removed since the plugin loaded, if any.
    pub(crate) fn removed_dir(&self) -> Option<&OpenedDir> {
        self.dirs.iter().find(|dir| dir.removed())
    }
}

/// WASI's preopened directories for `dirs`, opened through the handles opened at load (never
/// by their original paths again).
pub(crate) fn preopens(dirs: &[OpenedDir]) -> std::io::Result<WasiFilesystemCtx> {
    let mut builder = WasiCtxBuilder::new();
    for dir in dirs {
        builder
            .preopened_dir(dir.reopen_path(), &dir.guest, FsPerms::ReadOnly)
            .map_err(|e| std::io::Error::other(format!("{}: {e}", dir.host.display())))?;
    }
    Ok(builder.build().filesystem().clone())
}

/// The data of one instance's store.
pub(crate) struct InstanceState {
    pub(crate) plugin: Arc<PluginContext>,
    pub(crate) table: ResourceTable,
    /// Built on the guest's first WASI call: many plugins never make one, and building it
    /// (streams, clocks, seeded random generators) is a noticeable part of a fresh instance.
    wasi: Option<WasiCtx>,
    pub(crate) limiter: MemoryLimiter,
    /// When the current call (or the instantiation) must have finished.
    pub(crate) deadline: Instant,
    pub(crate) stderr: PluginOutput,
    /// What the current call may still write to the log, shared with stdout and stderr.
    pub(crate) output: Arc<OutputBudget>,
    /// Public keys (contract 0.2's `crypto`) in `table` now.
    pub(crate) keys_held: u32,
}

impl InstanceState {
    /// Whether the guest has made a WASI call that needed the WASI context.
    #[cfg(test)]
    pub(crate) fn wasi_built(&self) -> bool {
        self.wasi.is_some()
    }
}

impl WasiView for InstanceState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        let ctx = self
            .wasi
            .get_or_insert_with(|| wasi_context(&self.plugin, self.stderr.clone(), &self.output));
        WasiCtxView {
            ctx,
            table: &mut self.table,
        }
    }
}

/// The error a store's epoch callback raises when a call runs past its deadline.
#[derive(Debug)]
pub(crate) struct DeadlineExceeded;

impl std::fmt::Display for DeadlineExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the call ran past its deadline")
    }
}

impl std::error::Error for DeadlineExceeded {}

/// A store for one instance of `plugin`, whose deadline starts now (instantiation counts).
pub(crate) fn new_store(engine: &Engine, plugin: &Arc<PluginContext>) -> Store<InstanceState> {
    let output = Arc::new(OutputBudget::new(plugin.name.clone(), plugin.output));
    let stderr = PluginOutput::new(plugin.name.clone(), Stream::Stderr, output.clone());
    let state = InstanceState {
        plugin: plugin.clone(),
        table: ResourceTable::new(),
        wasi: None,
        limiter: MemoryLimiter::new(plugin.limits.memory_bytes),
        deadline: Instant::now() + plugin.limits.timeout,
        stderr,
        output,
        keys_held: 0,
    };
    let mut store = Store::new(engine, state);
    store.limiter(|state| &mut state.limiter);
    // Checked on every epoch tick: past the deadline the guest traps; before it, the guest
    // yields to the async executor so that a busy plugin cannot starve other tasks.
    store.epoch_deadline_callback(|store| {
        if Instant::now() >= store.data().deadline {
            Err(DeadlineExceeded.into())
        } else {
            Ok(UpdateDeadline::Yield(1))
        }
    });
    store.set_epoch_deadline(1);
    store
}

/// WASI for one instance: no arguments, no network, no stdin; the granted environment and
/// read-only directories; stdout and stderr routed into the log.
fn wasi_context(
    plugin: &PluginContext,
    stderr: PluginOutput,
    output: &Arc<OutputBudget>,
) -> WasiCtx {
    let mut builder = WasiCtxBuilder::new();
    builder
        .stdout(PluginOutput::new(
            plugin.name.clone(),
            Stream::Stdout,
            output.clone(),
        ))
        .stderr(stderr)
        .allow_tcp(false)
        .allow_udp(false)
        .allow_ip_name_lookup(false)
        .socket_addr_check(|_, _| Box::pin(async { false }));
    for (key, value) in &plugin.grant.env {
        builder.env(key, value);
    }
    let mut wasi = builder.build();
    *wasi.filesystem() = plugin.preopens.clone();
    wasi
}

/// A plugin context for unit tests of the imports: no grants, 1 MiB of memory, no kv.
#[cfg(test)]
pub(crate) fn test_context(name: &str) -> Arc<PluginContext> {
    use crate::component::kv_store::KvStores;
    use crate::limits::KvLimits;
    use crate::manifest::InstanceStrategy;

    Arc::new(PluginContext {
        name: name.into(),
        config: Default::default(),
        grant: Default::default(),
        limits: Limits {
            memory_bytes: 1 << 20,
            timeout: std::time::Duration::from_secs(1),
            max_instances: 1,
            strategy: InstanceStrategy::Fresh,
            pool_size: 0,
            kv: KvLimits::NONE,
        },
        dirs: Vec::new(),
        preopens: preopens(&[]).unwrap(),
        answers: Default::default(),
        output: Default::default(),
        kv: KvStores::default().of(name, KvLimits::NONE),
    })
}
