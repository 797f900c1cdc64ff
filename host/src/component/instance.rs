//! One live instance of a plugin: its store and the exports it was loaded with.

use std::sync::Arc;
use std::time::Instant;

use wasmtime::component::{InstancePre, Resource};
use wasmtime::Store;

use crate::component::bindings::{AuthIndices, ResponderIndices};
use crate::component::call::{CallResult, ComponentCall, Exports};
use crate::component::imports::request::LentRequest;
use crate::component::store::{new_store, InstanceState, PluginContext};
use crate::request::Request;

/// Everything needed to create instances of one plugin.
pub(crate) struct Template {
    pub(crate) pre: InstancePre<InstanceState>,
    pub(crate) auth: Option<AuthIndices>,
    pub(crate) responder: Option<ResponderIndices>,
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
    ) -> Result<Instance, (wasmtime::Error, Option<Store<InstanceState>>)> {
        let engine = self.pre.engine();
        let mut store =
            new_store(engine, &self.context).map_err(|e| (wasmtime::Error::from(e), None))?;
        let loaded = async {
            let instance = self.pre.instantiate_async(&mut store).await?;
            let auth = match &self.auth {
                Some(indices) => Some(indices.load(&mut store, &instance)?),
                None => None,
            };
            let responder = match &self.responder {
                Some(indices) => Some(indices.load(&mut store, &instance)?),
                None => None,
            };
            wasmtime::Result::Ok((auth, responder))
        }
        .await;
        match loaded {
            Ok((auth, responder)) => Ok(Instance {
                store,
                exports: Exports { auth, responder },
            }),
            Err(err) => Err((err, Some(store))),
        }
    }
}

impl Instance {
    /// Runs one operation on `request`. The request is lent to the guest as a resource for
    /// the duration of the call and taken back afterwards.
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
        let lent = self.store.data_mut().table.push(LentRequest(request))?;
        let borrowed = Resource::<LentRequest>::new_borrow(lent.rep());
        let answer = operation
            .call(&mut self.store, &self.exports, borrowed)
            .await?;
        self.store.data_mut().table.delete(lent)?;
        self.store.data().output.finish_call();
        Ok(answer)
    }
}
