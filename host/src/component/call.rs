//! How each [`Operation`] is called on a component instance: which export, and the answer
//! converted to the public types.

use std::future::Future;

use wasmtime::component::Resource;
use wasmtime::Store;

use crate::component::bindings::exports::mockforge::plugin::{auth, responder};
use crate::component::imports::request::LentRequest;
use crate::component::store::InstanceState;
use crate::operation::{Authenticate, Modify, Operation, Respond};
use crate::types::{AuthOutcome, PluginError, Response};

/// The exports an instance was loaded with: those its plugin's kind requires.
pub(crate) struct Exports {
    pub(crate) auth: Option<auth::Guest>,
    pub(crate) responder: Option<responder::Guest>,
}

/// What a call returns: a trap or host failure, or the plugin's own answer or error.
pub(crate) type CallResult<A> = wasmtime::Result<Result<A, PluginError>>;

/// An operation a component instance can run.
pub(crate) trait ComponentCall: Operation {
    /// Calls the export on `request`, lent to the guest for the call.
    fn call(
        self,
        store: &mut Store<InstanceState>,
        exports: &Exports,
        request: Resource<LentRequest>,
    ) -> impl Future<Output = CallResult<Self::Answer>> + Send;
}

impl ComponentCall for Authenticate {
    async fn call(
        self,
        store: &mut Store<InstanceState>,
        exports: &Exports,
        request: Resource<LentRequest>,
    ) -> CallResult<AuthOutcome> {
        let auth = exported(exports.auth.as_ref(), Self::NAME)?;
        let answer = auth.call_authenticate(store, request).await?;
        Ok(answer.map(AuthOutcome::from).map_err(PluginError::from))
    }
}

impl ComponentCall for Respond {
    async fn call(
        self,
        store: &mut Store<InstanceState>,
        exports: &Exports,
        request: Resource<LentRequest>,
    ) -> CallResult<Option<Response>> {
        let responder = exported(exports.responder.as_ref(), Self::NAME)?;
        let answer = responder.call_respond(store, request).await?;
        Ok(answer
            .map(|response| response.map(Response::from))
            .map_err(PluginError::from))
    }
}

impl ComponentCall for Modify {
    async fn call(
        self,
        store: &mut Store<InstanceState>,
        exports: &Exports,
        request: Resource<LentRequest>,
    ) -> CallResult<Response> {
        let responder = exported(exports.responder.as_ref(), Self::NAME)?;
        let response = self.0.into();
        let answer = responder.call_modify(store, request, &response).await?;
        Ok(answer.map(Response::from).map_err(PluginError::from))
    }
}

/// The loaded export, or an error for an operation the instance was not loaded with (the
/// facade checks the plugin's kind first, so this is a host fault).
fn exported<'a, T>(export: Option<&'a T>, operation: &str) -> wasmtime::Result<&'a T> {
    export.ok_or_else(|| wasmtime::format_err!("`{operation}` is not exported by this instance"))
}
