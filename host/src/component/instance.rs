//! One live instance of a plugin: its store and the exports it was loaded with.

use std::sync::Arc;
use std::time::Instant;

use wasmtime::component::{InstancePre, Resource};
use wasmtime::Store;

use crate::component::bindings::{ExportIndices, Exports};
use crate::component::call::{CallResult, ComponentCall, Handed};
use crate::component::imports::request::LentRequest;
use crate::component::store::{new_store, InstanceState, PluginContext};
use crate::request::Request;

/// Everything needed to create instances of one plugin.
pub(crate) struct Template {
    pub(crate) pre: InstancePre<InstanceState>,
    pub(crate) exports: ExportIndices,
    pub(crate) context: Arc<PluginContext>,
}

/// A live instance.
pub(crate) struct Instance {
    pub(crate) store: Store<InstanceState>,
    exports: Exports,
}

impl Template {
    /// Instantiates the plugin; start-up code counts against the plugin's time limit. On
    /// failure the store is returned too, so that the cause can be read from it.
    pub(crate) async fn instantiate(
        &self,
    ) -> Result<Instance, (wasmtime::Error, Store<InstanceState>)> {
        let engine = self.pre.engine();
        let mut store = new_store(engine, &self.context);
        let loaded = async {
            let instance = self.pre.instantiate_async(&mut store).await?;
            self.exports.load(&mut store, &instance)
        }
        .await;
        match loaded {
            Ok(exports) => Ok(Instance { store, exports }),
            Err(err) => Err((err, store)),
        }
    }
}

impl Instance {
    /// Runs one operation on `request`. The request is put in the instance's resource table
    /// for the duration of the call (lent to a 0.1 guest, handed to a 0.2 guest, which drops
    /// it) and taken out afterwards: a handle a guest kept past the call no longer reaches
    /// it.
    pub(crate) async fn invoke<O: ComponentCall>(
        &mut self,
        operation: O,
        request: Arc<Request>,
        deadline: Instant,
    ) -> CallResult<O::Answer> {
        let state = self.store.data_mut();
        state.limiter.call_begins();
        state.deadline = deadline;
        state.stderr.clear_tail();
        // What start-up (or an earlier call) dropped is reported now; this call starts afresh.
        state.output.finish_call();
        // The epoch deadline counts from now: a warm instance that sat idle for ticks would
        // otherwise reach it on entry and yield to the executor at once, on every call.
        self.store.set_epoch_deadline(1);
        let rep = self
            .store
            .data_mut()
            .table
            .push(LentRequest(request))?
            .rep();
        let answer = operation
            .call(&mut self.store, &self.exports, Handed { rep })
            .await?;
        // A 0.1 guest only borrowed it; a 0.2 guest normally dropped it already (and the host
        // removed it then), but may have kept it. The slot is this call's request unless the
        // guest dropped it and something else took the slot since.
        let table = &mut self.store.data_mut().table;
        let handle = Resource::<LentRequest>::new_own(rep);
        if table.get(&handle).is_ok() {
            table.delete(handle)?;
        }
        self.store.data().output.finish_call();
        Ok(answer)
    }
}
