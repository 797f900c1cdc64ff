//! How each [`Operation`] is called on a remote plugin: its path in the protocol, the body
//! sent, the answer's wire shape and its conversion to the public types.

use crate::error::{Error, Result};
use crate::operation::{Authenticate, Modify, Operation, Respond};
use crate::remote::wire::{
    AuthAnswer, Mismatch, ModifyAnswer, ModifyBody, RespondAnswer, WireRequest, WireResponse,
};
use crate::remote::{unavailable, RemoteBackend};
use crate::request::Request;
use crate::types::{AuthOutcome, Response};

/// An operation a remote plugin can run.
pub(crate) trait RemoteCall: Operation {
    /// The answer as the protocol shapes it.
    type Wire: serde::de::DeserializeOwned;
    /// The protocol's path for it.
    const PATH: &'static str;
    /// The JSON body sent for `request`.
    fn body(self, request: &Request) -> serde_json::Result<Vec<u8>>;
    /// The answer in the public types, or what is wrong with it.
    fn answer(wire: Self::Wire) -> std::result::Result<Self::Answer, Mismatch>;
    /// What the call answers instead when it failed with `err` (after the failure was
    /// counted): by default nothing, the error stands.
    fn fall_back(_remote: &RemoteBackend, err: Error) -> Result<Self::Answer> {
        Err(err)
    }
}

impl RemoteCall for Authenticate {
    type Wire = AuthAnswer;
    const PATH: &'static str = "/authenticate";
    fn body(self, request: &Request) -> serde_json::Result<Vec<u8>> {
        serde_json::to_vec(&WireRequest::from(request))
    }
    fn answer(wire: AuthAnswer) -> std::result::Result<AuthOutcome, Mismatch> {
        wire.into_outcome()
    }
    /// An auth plugin whose remote is unavailable answers as its manifest's
    /// `remote.on-unavailable` says (by default a 503 denial).
    fn fall_back(remote: &RemoteBackend, err: Error) -> Result<AuthOutcome> {
        match unavailable(&err) {
            true => remote.when_unavailable(err),
            false => Err(err),
        }
    }
}

impl RemoteCall for Respond {
    type Wire = RespondAnswer;
    const PATH: &'static str = "/respond";
    fn body(self, request: &Request) -> serde_json::Result<Vec<u8>> {
        serde_json::to_vec(&WireRequest::from(request))
    }
    fn answer(wire: RespondAnswer) -> std::result::Result<Option<Response>, Mismatch> {
        wire.into_response()
    }
}

impl RemoteCall for Modify {
    type Wire = ModifyAnswer;
    const PATH: &'static str = "/modify";
    fn body(self, request: &Request) -> serde_json::Result<Vec<u8>> {
        serde_json::to_vec(&ModifyBody {
            request: WireRequest::from(request),
            response: WireResponse::from(&self.0),
        })
    }
    fn answer(wire: ModifyAnswer) -> std::result::Result<Response, Mismatch> {
        wire.into_response()
    }
}
