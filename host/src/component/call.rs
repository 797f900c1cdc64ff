//! How each [`Operation`] is called on a component instance: which export of which contract
//! version, how the request is handed over, and the answer converted to the public types.

use std::future::Future;

use wasmtime::component::Resource;
use wasmtime::Store;

use crate::answer::Violation;
use crate::component::bindings::{v0_1, v0_2, Exports, MalformedAnswer};
use crate::component::imports::request::LentRequest;
use crate::component::store::InstanceState;
use crate::operation::{Authenticate, Modify, Operation, Respond};
use crate::types::{AuthOutcome, PluginError, Response};

/// What a call returns: a trap or host failure, or the plugin's own answer or error.
pub(crate) type CallResult<A> = wasmtime::Result<Result<A, PluginError>>;

/// The request of one call, in the resource table at `rep`: 0.1 lends it (a borrow), 0.2
/// hands it over (an owned handle the guest drops).
#[derive(Clone, Copy)]
pub(crate) struct Handed {
    pub(crate) rep: u32,
}

impl Handed {
    fn borrowed(self) -> Resource<LentRequest> {
        Resource::new_borrow(self.rep)
    }

    fn owned(self) -> Resource<LentRequest> {
        Resource::new_own(self.rep)
    }
}

/// An operation a component instance can run.
pub(crate) trait ComponentCall: Operation {
    /// Calls the export on the request at `request`.
    fn call(
        self,
        store: &mut Store<InstanceState>,
        exports: &Exports,
        request: Handed,
    ) -> impl Future<Output = CallResult<Self::Answer>> + Send;
}

impl ComponentCall for Authenticate {
    async fn call(
        self,
        store: &mut Store<InstanceState>,
        exports: &Exports,
        request: Handed,
    ) -> CallResult<AuthOutcome> {
        let limits = store.data().plugin.answers;
        match exports {
            Exports::V0_1 { auth, .. } => {
                let auth = exported(auth.as_ref(), Self::NAME)?;
                match auth.call_authenticate(store, request.borrowed()).await? {
                    Ok(outcome) => Ok(Ok(well_formed(v0_1::outcome(outcome, &limits))?)),
                    Err(err) => Ok(Err(err.into())),
                }
            }
            Exports::V0_2 { auth, .. } => {
                let auth = exported(auth.as_ref(), Self::NAME)?;
                match auth.call_authenticate(store, request.owned()).await? {
                    Ok(outcome) => Ok(Ok(well_formed(v0_2::outcome(outcome, &limits))?)),
                    Err(err) => Ok(Err(err.into())),
                }
            }
        }
    }
}

impl ComponentCall for Respond {
    async fn call(
        self,
        store: &mut Store<InstanceState>,
        exports: &Exports,
        request: Handed,
    ) -> CallResult<Option<Response>> {
        Ok(match exports {
            Exports::V0_1 { responder, .. } => {
                let responder = exported(responder.as_ref(), Self::NAME)?;
                responder
                    .call_respond(store, request.borrowed())
                    .await?
                    .map(|response| response.map(Response::from))
                    .map_err(PluginError::from)
            }
            Exports::V0_2 { responder, .. } => {
                let responder = exported(responder.as_ref(), Self::NAME)?;
                responder
                    .call_respond(store, request.owned())
                    .await?
                    .map(|response| response.map(Response::from))
                    .map_err(PluginError::from)
            }
        })
    }
}

impl ComponentCall for Modify {
    async fn call(
        self,
        store: &mut Store<InstanceState>,
        exports: &Exports,
        request: Handed,
    ) -> CallResult<Response> {
        Ok(match exports {
            Exports::V0_1 { responder, .. } => {
                let responder = exported(responder.as_ref(), Self::NAME)?;
                let response = self.0.into();
                responder
                    .call_modify(store, request.borrowed(), &response)
                    .await?
                    .map(Response::from)
                    .map_err(PluginError::from)
            }
            Exports::V0_2 { responder, .. } => {
                let responder = exported(responder.as_ref(), Self::NAME)?;
                let response = self.0.into();
                responder
                    .call_modify(store, request.owned(), &response)
                    .await?
                    .map(Response::from)
                    .map_err(PluginError::from)
            }
        })
    }
}

/// The converted answer, or the error that reports it as malformed.
fn well_formed<A>(converted: Result<A, Violation>) -> wasmtime::Result<A> {
    converted.map_err(|violation| MalformedAnswer(violation).into())
}

/// The loaded export, or an error for an operation the instance was not loaded with (the
/// facade checks the plugin's kind first, so this is a host fault).
fn exported<'a, T>(export: Option<&'a T>, operation: &str) -> wasmtime::Result<&'a T> {
    export.ok_or_else(|| wasmtime::format_err!("`{operation}` is not exported by this instance"))
}
