//! Bearer JWT authentication (HS256/384/512, RS/PS256/384/512, ES256, ES384, EdDSA), the token
//! checked by the host's verifier: see the README beside `Cargo.toml` for the configuration.

mod algorithm;
mod bearer;
mod claims;
mod json;
mod jwks;
mod last_identity;
mod rejection;
mod settings;

use mockforge_component_sdk::{auth_plugin, log, AuthOutcome, AuthPlugin, PluginError, Request};

use crate::bearer::Credential;
use crate::claims::Claims;
use crate::last_identity::LastIdentity;
use crate::rejection::Rejection;
use crate::settings::Settings;

struct Jwt;

/// The identity of the last payload verified: a client sends the same token with every request
/// until it expires (the signature and the clock are checked on every call all the same).
static LAST: LastIdentity = LastIdentity::new();

impl AuthPlugin for Jwt {
    fn authenticate(req: &Request) -> Result<AuthOutcome, PluginError> {
        let settings = Settings::get()?;
        let header = req.header("authorization");
        let verdict = match bearer::credential(header.as_deref()) {
            Credential::Absent => return Ok(AuthOutcome::abstain()),
            Credential::Empty => Err(Rejection::MissingToken),
            Credential::Token(token) => settings.verifier.verify(token).map_err(Rejection::from),
        };
        let identity = verdict.and_then(|payload| {
            LAST.get_or_make(payload, |payload| {
                let identity = claims::identity(&Claims::read(payload)?)?;
                // The payload, a JSON object, crosses to the host as the token carried it.
                Ok(identity.with_claims_json(payload))
            })
        });
        Ok(match identity {
            Ok(identity) => AuthOutcome::allow(identity),
            Err(rejection) => {
                log::debug("jwt rejected", &[("reason", rejection.reason())]);
                rejection.denial().into()
            }
        })
    }
}

auth_plugin!(Jwt);
