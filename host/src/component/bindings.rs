//! Host bindings generated from the WIT package in `wit/`. Private: embedders see the types in
//! [`crate::types`] instead, so the generated code can change without breaking them. The
//! conversions between the two are here too.

wasmtime::component::bindgen!({
    path: "../wit",
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

use crate::error::bounded_message;
use crate::types::{AuthOutcome, Denial, Identity, PluginError, Response};
use types as wit;

impl From<wit::AuthOutcome> for AuthOutcome {
    fn from(outcome: wit::AuthOutcome) -> Self {
        match outcome {
            wit::AuthOutcome::Allow(identity) => Self::Allow(Identity {
                subject: identity.subject,
                username: identity.username,
                email: identity.email,
                display_name: identity.display_name,
                roles: identity.roles,
                groups: identity.groups,
                claims: identity.claims,
            }),
            wit::AuthOutcome::Deny(denial) => Self::Deny(Denial {
                status: denial.status,
                reason: denial.reason,
                headers: denial.headers,
            }),
        }
    }
}

impl From<wit::Response> for Response {
    fn from(response: wit::Response) -> Self {
        Self {
            status: response.status,
            headers: response.headers,
            body: response.body,
        }
    }
}

impl From<Response> for wit::Response {
    fn from(response: Response) -> Self {
        Self {
            status: response.status,
            headers: response.headers,
            body: response.body,
        }
    }
}

impl From<wit::PluginError> for PluginError {
    fn from(error: wit::PluginError) -> Self {
        match error {
            wit::PluginError::InvalidConfig(message) => {
                Self::InvalidConfig(bounded_message(message))
            }
            wit::PluginError::InvalidRequest(message) => {
                Self::InvalidRequest(bounded_message(message))
            }
            wit::PluginError::Internal(message) => Self::Internal(bounded_message(message)),
        }
    }
}
