//! The bare `bindgen!` peer: the auth-trivial component called through wasmtime 48 directly,
//! with nothing of this host around it (no instance pool, no epoch deadline, no memory
//! limiter, no call timeout, no metrics, no async executor). What it costs is wasmtime's own
//! share of a call; the rest of a host row is the host's.
//!
//! The engine has the two wasmtime settings the host also uses, so that the difference between
//! the rows is the host's work and not an engine knob: component-model concurrency off (the
//! WIT uses none of it) and, for the fresh row, the pooling allocator with the host's
//! keep-resident tuning.

use std::sync::Arc;

use mockforge_component_host::{AuthOutcome, Denial, Identity, Request};
use wasmtime::component::{Component, HasSelf, Linker, Resource, ResourceTable};
use wasmtime::{Config, Enabled, Engine, InstanceAllocationStrategy, Store};
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

use super::pool::pooling;

wasmtime::component::bindgen!({
    path: "../wit/0.2.0",
    world: "auth-plugin",
    imports: { default: trappable },
    with: {
        "mockforge:plugin/types.request": LentRequest,
    },
});

use mockforge::plugin::types;

/// The request behind a WIT `request` handle for the length of one call.
pub struct LentRequest(Arc<Request>);

/// A store's data: the resource table (requests and WASI's resources) and an empty WASI.
pub struct BareState {
    table: ResourceTable,
    wasi: WasiCtx,
}

impl BareState {
    fn new() -> Self {
        Self {
            table: ResourceTable::new(),
            wasi: WasiCtxBuilder::new().build(),
        }
    }

    fn lent(&self, handle: &Resource<LentRequest>) -> wasmtime::Result<&Request> {
        Ok(&self.table.get(handle)?.0)
    }
}

impl WasiView for BareState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl types::Host for BareState {}

impl types::HostRequest for BareState {
    fn method(&mut self, handle: Resource<LentRequest>) -> wasmtime::Result<String> {
        Ok(self.lent(&handle)?.method.clone())
    }

    fn path(&mut self, handle: Resource<LentRequest>) -> wasmtime::Result<String> {
        Ok(self.lent(&handle)?.path.clone())
    }

    fn query(&mut self, handle: Resource<LentRequest>) -> wasmtime::Result<String> {
        Ok(self.lent(&handle)?.query.clone())
    }

    fn query_param(
        &mut self,
        handle: Resource<LentRequest>,
        name: String,
    ) -> wasmtime::Result<Option<String>> {
        Ok(self.lent(&handle)?.query_param(&name))
    }

    fn headers(
        &mut self,
        handle: Resource<LentRequest>,
    ) -> wasmtime::Result<Vec<(String, String)>> {
        Ok(self.lent(&handle)?.headers.to_pairs())
    }

    fn header(
        &mut self,
        handle: Resource<LentRequest>,
        name: String,
    ) -> wasmtime::Result<Option<String>> {
        Ok(self.lent(&handle)?.header(&name).map(str::to_owned))
    }

    fn header_all(
        &mut self,
        handle: Resource<LentRequest>,
        name: String,
    ) -> wasmtime::Result<Vec<String>> {
        Ok(self
            .lent(&handle)?
            .headers
            .get_all(&name)
            .map(str::to_owned)
            .collect())
    }

    fn body(&mut self, handle: Resource<LentRequest>) -> wasmtime::Result<Vec<u8>> {
        Ok(self.lent(&handle)?.body.clone())
    }

    fn client_addr(&mut self, handle: Resource<LentRequest>) -> wasmtime::Result<Option<String>> {
        Ok(self.lent(&handle)?.client_addr.clone())
    }

    fn id(&mut self, handle: Resource<LentRequest>) -> wasmtime::Result<String> {
        Ok(self.lent(&handle)?.id.clone())
    }

    fn route(&mut self, handle: Resource<LentRequest>) -> wasmtime::Result<Option<String>> {
        Ok(self.lent(&handle)?.route.clone())
    }

    fn path_params(
        &mut self,
        handle: Resource<LentRequest>,
    ) -> wasmtime::Result<Vec<(String, String)>> {
        Ok(self.lent(&handle)?.path_params.clone())
    }

    fn path_param(
        &mut self,
        handle: Resource<LentRequest>,
        name: String,
    ) -> wasmtime::Result<Option<String>> {
        Ok(self.lent(&handle)?.path_param(&name).map(str::to_owned))
    }

    fn identity(
        &mut self,
        handle: Resource<LentRequest>,
    ) -> wasmtime::Result<Option<types::Identity>> {
        Ok(self
            .lent(&handle)?
            .identity
            .as_ref()
            .map(|identity| types::Identity {
                subject: identity.subject.clone(),
                username: identity.username.clone(),
                email: identity.email.clone(),
                display_name: identity.display_name.clone(),
                roles: identity.roles.clone(),
                groups: identity.groups.clone(),
                claims: identity.claims.to_json_text().into_owned(),
            }))
    }

    fn drop(&mut self, handle: Resource<LentRequest>) -> wasmtime::Result<()> {
        // The guest owns the request it was handed and drops it when it is done with it.
        self.table.delete(handle)?;
        Ok(())
    }
}

/// wasmtime's defaults with component-model concurrency off, as the host has it.
fn engine_config() -> Config {
    let mut config = Config::new();
    config.concurrency_support(false);
    config
}

/// The component `wasm` compiled on `engine` and a linker with WASI p2 and the one plugin
/// interface auth-trivial imports (`types`, for the request); it uses none of `log`,
/// `config`, `crypto` or `kv`, so they are not linked.
fn compile(engine: &Engine, wasm: &[u8]) -> wasmtime::Result<(Component, Linker<BareState>)> {
    let component = Component::new(engine, wasm)?;
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
    types::add_to_linker::<_, HasSelf<BareState>>(&mut linker, |state| state)?;
    Ok((component, linker))
}

/// One `authenticate` call on an instantiated component: hand the request over (contract 0.2
/// passes it as an owned handle, which the guest drops), call, and remove it if it was kept.
fn authenticate(
    store: &mut Store<BareState>,
    plugin: &AuthPlugin,
    request: &Arc<Request>,
) -> wasmtime::Result<AuthOutcome> {
    let handed = store.data_mut().table.push(LentRequest(request.clone()))?;
    let rep = handed.rep();
    let answer = plugin
        .mockforge_plugin_auth()
        .call_authenticate(&mut *store, handed)?;
    let kept = Resource::<LentRequest>::new_own(rep);
    if store.data().table.get(&kept).is_ok() {
        store.data_mut().table.delete(kept)?;
    }
    match answer {
        Ok(outcome) => host_outcome(outcome),
        Err(error) => wasmtime::bail!("auth-trivial (bare) failed: {error:?}"),
    }
}

/// The generated outcome as the host's type, as the host hands it to its caller (the claims
/// parsed from their JSON text, with no cap on their size).
fn host_outcome(outcome: types::AuthOutcome) -> wasmtime::Result<AuthOutcome> {
    Ok(match outcome {
        types::AuthOutcome::Allow(identity) => AuthOutcome::Allow(Identity {
            subject: identity.subject,
            username: identity.username,
            email: identity.email,
            display_name: identity.display_name,
            roles: identity.roles,
            groups: identity.groups,
            claims: serde_json::from_str(&identity.claims)?,
        }),
        types::AuthOutcome::Deny(denial) => AuthOutcome::Deny(Denial {
            status: denial.status,
            reason: denial.reason,
            headers: denial.headers,
        }),
        types::AuthOutcome::Abstain => AuthOutcome::Abstain,
    })
}

/// One instance, instantiated once and called again and again.
pub struct BareReused {
    store: Store<BareState>,
    plugin: AuthPlugin,
}

impl BareReused {
    /// Compiles and instantiates the component `wasm`.
    pub fn new(wasm: &[u8]) -> wasmtime::Result<Self> {
        let engine = Engine::new(&engine_config())?;
        let (component, linker) = compile(&engine, wasm)?;
        let mut store = Store::new(&engine, BareState::new());
        let plugin = AuthPlugin::instantiate(&mut store, &component, &linker)?;
        Ok(Self { store, plugin })
    }

    /// Calls `authenticate` on the one instance.
    pub fn authenticate(&mut self, request: &Arc<Request>) -> wasmtime::Result<AuthOutcome> {
        authenticate(&mut self.store, &self.plugin, request)
    }
}

/// A new store and instance per call, from the pooling allocator and an `InstancePre`.
pub struct BareFresh {
    engine: Engine,
    pre: AuthPluginPre<BareState>,
}

impl BareFresh {
    /// Compiles the component `wasm` on a pooling engine and pre-links it.
    pub fn new(wasm: &[u8]) -> wasmtime::Result<Self> {
        let mut config = engine_config();
        let pool = pooling();
        let mut allocation = wasmtime::PoolingAllocationConfig::new();
        allocation
            .total_component_instances(pool.instances)
            .total_core_instances(pool.core_instances)
            .total_memories(pool.memories)
            .total_tables(pool.tables)
            .total_stacks(pool.instances)
            .max_memory_size(pool.max_memory_bytes)
            .linear_memory_keep_resident(pool.memory_keep_resident)
            .table_keep_resident(pool.table_keep_resident)
            .pagemap_scan(Enabled::Auto);
        config.allocation_strategy(InstanceAllocationStrategy::Pooling(allocation));
        let engine = Engine::new(&config)?;
        let (component, linker) = compile(&engine, wasm)?;
        let pre = AuthPluginPre::new(linker.instantiate_pre(&component)?)?;
        Ok(Self { engine, pre })
    }

    /// Instantiates, calls `authenticate` once and drops the instance.
    pub fn authenticate(&self, request: &Arc<Request>) -> wasmtime::Result<AuthOutcome> {
        let mut store = Store::new(&self.engine, BareState::new());
        let plugin = self.pre.instantiate(&mut store)?;
        authenticate(&mut store, &plugin, request)
    }
}
