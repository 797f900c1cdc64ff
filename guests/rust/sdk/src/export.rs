//! What the registration macros call: each export takes the host's request handle, wraps it
//! for the plugin's trait function, converts the answer for the host and drops the handle
//! before returning, so that no request outlives its call.

use crate::bindings::wire;
use crate::{AuthPlugin, PluginError, Request, Response, ResponsePlugin};

/// The `auth.authenticate` export of plugin `P`.
pub fn authenticate<P: AuthPlugin>(req: wire::Request) -> Result<wire::AuthOutcome, PluginError> {
    let req = Request::from_wire(req);
    let outcome = P::authenticate(&req);
    drop(req);
    outcome.map(|outcome| outcome.into_wire())
}

/// The `responder.respond` export of plugin `P`.
pub fn respond<P: ResponsePlugin>(req: wire::Request) -> Result<Option<Response>, PluginError> {
    let req = Request::from_wire(req);
    P::respond(&req)
}

/// The `responder.modify` export of plugin `P`.
pub fn modify<P: ResponsePlugin>(
    req: wire::Request,
    resp: Response,
) -> Result<Response, PluginError> {
    let req = Request::from_wire(req);
    P::modify(&req, resp)
}
