//! Bindings of `mockforge:plugin@0.1.0` (`wit/0.1.0/`, frozen) and their conversions to the
//! public types: claims given as name and JSON text pairs become one JSON object.

wasmtime::component::bindgen!({
    path: "../wit/0.1.0",
    world: "plugin",
    imports: { default: trappable },
    exports: { default: async },
    with: {
        "mockforge:plugin/types.request": crate::component::imports::request::LentRequest,
    },
});

pub(crate) use exports::mockforge::plugin::auth::GuestIndices as AuthIndices;
pub(crate) use exports::mockforge::plugin::responder::GuestIndices as ResponderIndices;
pub(crate) use mockforge::plugin::{config, log, types};

use crate::answer::{AnswerLimits, Violation};
use crate::types::{AuthOutcome, Denial, Identity};
use types as wit;

/// The public outcome of a 0.1 verdict; its claims are written as one object under `limits`.
pub(crate) fn outcome(
    outcome: wit::AuthOutcome,
    limits: &AnswerLimits,
) -> Result<AuthOutcome, Violation> {
    Ok(match outcome {
        wit::AuthOutcome::Allow(identity) => AuthOutcome::Allow(Identity {
            claims: limits.claims_from_pairs(identity.claims)?,
            subject: identity.subject,
            username: identity.username,
            email: identity.email,
            display_name: identity.display_name,
            roles: identity.roles,
            groups: identity.groups,
        }),
        wit::AuthOutcome::Deny(denial) => AuthOutcome::Deny(Denial {
            status: denial.status,
            reason: denial.reason,
            headers: denial.headers,
        }),
    })
}

// `response` and `plugin-error` are the same in every version.
crate::component::bindings::unchanged_conversions!();
