//! Bindings of `mockforge:plugin@0.2.0` (`wit/0.2.0/`) and their conversions to the public
//! types: claims given as one JSON object in text are checked (capped first) and kept as text.

wasmtime::component::bindgen!({
    path: "../wit/0.2.0",
    world: "plugin",
    imports: { default: trappable },
    exports: { default: async },
    with: {
        "mockforge:plugin/types.request": crate::component::imports::request::LentRequest,
        "mockforge:plugin/crypto.public-key": crate::component::imports::crypto::PublicKey,
        "mockforge:plugin/crypto.jwt-verifier": crate::component::imports::crypto::JwtVerifier,
    },
});

pub(crate) use exports::mockforge::plugin::auth::GuestIndices as AuthIndices;
pub(crate) use exports::mockforge::plugin::responder::GuestIndices as ResponderIndices;
pub(crate) use mockforge::plugin::{config, crypto, kv, log, types};

use crate::answer::{AnswerLimits, Violation};
use crate::types::{AuthOutcome, Denial, Identity};
use types as wit;

/// The public outcome of a 0.2 verdict; its claims are checked under `limits`.
pub(crate) fn outcome(
    outcome: wit::AuthOutcome,
    limits: &AnswerLimits,
) -> Result<AuthOutcome, Violation> {
    Ok(match outcome {
        wit::AuthOutcome::Allow(identity) => AuthOutcome::Allow(Identity {
            claims: limits.claims_from_text(identity.claims)?,
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
        wit::AuthOutcome::Abstain => AuthOutcome::Abstain,
    })
}

/// The identity a response plugin reads from its request, as 0.2 gives it.
pub(crate) fn identity(identity: &Identity) -> wit::Identity {
    wit::Identity {
        subject: identity.subject.clone(),
        username: identity.username.clone(),
        email: identity.email.clone(),
        display_name: identity.display_name.clone(),
        roles: identity.roles.clone(),
        groups: identity.groups.clone(),
        // The plugin's own text when the claims came from one, else the map written out.
        claims: identity.claims.to_json_text().into_owned(),
    }
}

// `response` and `plugin-error` are the same in every version.
crate::component::bindings::unchanged_conversions!();
