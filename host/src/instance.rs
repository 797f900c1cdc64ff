//! One live instance of a plugin: its store and the exports it was loaded with.

use std::sync::Arc;
use std::time::Instant;

use wasmtime::component::{InstancePre, Resource};
use wasmtime::Store;

use crate::bindings::exports::mockforge::plugin::{auth, responder};
use crate::bindings::types as wit;
use crate::bindings::{AuthIndices, ResponderIndices};
use crate::imports::request::LentRequest;
use crate::request::Request;
use crate::store::{new_store, InstanceState, PluginContext};

/// What a plugin is asked to do in one call.
pub(crate) enum Operation {
    Authenticate,
    Respond,
    Modify(wit::Response),
}

/// What the plugin answered, before conversion to the public types.
pub(crate) enum Answer {
    Authenticated(wit::AuthOutcome),
    Responded(Option<wit::Response>),
    Modified(wit::Response),
}

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
    auth: Option<auth::Guest>,
    responder: Option<responder::Guest>,
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
                auth,
                responder,
            }),
            Err(err) => Err((err, Some(store))),
        }
    }
}

impl Instance {
    /// Runs one operation on `request`. The request is lent to the guest as a resource for
    /// the duration of the call and taken back afterwards.
    pub(crate) async fn invoke(
        &mut self,
        operation: Operation,
        request: Arc<Request>,
        deadline: Instant,
    ) -> wasmtime::Result<Result<Answer, wit::PluginError>> {
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
        let rep = lent.rep();
        let borrowed = Resource::<LentRequest>::new_borrow(rep);
        let answer = match operation {
            Operation::Authenticate => {
                let auth = exported(self.auth.as_ref(), "authenticate")?;
                auth.call_authenticate(&mut self.store, borrowed)
                    .await?
                    .map(Answer::Authenticated)
            }
            Operation::Respond => {
                let responder = exported(self.responder.as_ref(), "respond")?;
                responder
                    .call_respond(&mut self.store, borrowed)
                    .await?
                    .map(Answer::Responded)
            }
            Operation::Modify(response) => {
                let responder = exported(self.responder.as_ref(), "modify")?;
                responder
                    .call_modify(&mut self.store, borrowed, &response)
                    .await?
                    .map(Answer::Modified)
            }
        };
        self.store.data_mut().table.delete(lent)?;
        self.store.data().output.finish_call();
        Ok(answer)
    }
}

/// The loaded export, or an error for an operation the plugin was not loaded with (the public
/// API checks the plugin's kind first, so this is a host fault).
fn exported<'a, T>(export: Option<&'a T>, operation: &str) -> wasmtime::Result<&'a T> {
    export.ok_or_else(|| wasmtime::format_err!("`{operation}` is not exported by this instance"))
}
