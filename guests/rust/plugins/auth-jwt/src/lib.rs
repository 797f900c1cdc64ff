//! Bearer JWT authentication (HS256/384/512 through the host's HMAC, RS/PS/ES/EdDSA through
//! the host's public keys): see the README beside `Cargo.toml` for the configuration.

mod algorithm;
mod base64url;
mod bearer;
mod claims;
mod json;
mod jwks;
mod keys;
mod rejection;
mod settings;
mod token;

use std::time::{SystemTime, UNIX_EPOCH};

use mockforge_component_sdk::{
    auth_plugin, crypto, log, AuthOutcome, AuthPlugin, Identity, PluginError, Request,
};

use crate::algorithm::Algorithm;
use crate::bearer::Credential;
use crate::claims::Claims;
use crate::rejection::Rejection;
use crate::settings::Settings;
use crate::token::Jws;

struct Jwt;

impl AuthPlugin for Jwt {
    fn authenticate(req: &Request) -> Result<AuthOutcome, PluginError> {
        let settings = Settings::get()?;
        let header = req.header("authorization");
        let token = match bearer::credential(header.as_deref()) {
            Credential::Absent => return Ok(AuthOutcome::abstain()),
            Credential::Empty => Err(Rejection::MissingToken),
            Credential::Token(token) => Ok(token),
        };
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|e| PluginError::Internal(format!("the clock is before 1970: {e}")))?
            .as_secs_f64();
        Ok(
            match token.and_then(|token| authenticate(token, settings, now)) {
                Ok(identity) => AuthOutcome::allow(identity),
                Err(rejection) => {
                    log::debug("jwt rejected", &[("reason", rejection.reason())]);
                    rejection.denial().into()
                }
            },
        )
    }
}

fn authenticate(token: &str, settings: &Settings, now: f64) -> Result<Identity, Rejection> {
    let payload = verify(token, settings)?;
    let claims = Claims::read(&payload)?;
    claims::check(&claims, settings, now)?;
    let identity = claims::identity(&claims)?;
    // The payload, a JSON object, crosses to the host as the token carried it.
    Ok(identity.with_claims_json(payload))
}

/// Check that `token` is a compact JWS signed with an accepted algorithm under a configured key
/// and return its payload's text.
fn verify(token: &str, settings: &Settings) -> Result<String, Rejection> {
    let jws = Jws::parse(token)?;
    // Only the configured algorithms, by their exact names: never `none`, and never an
    // algorithm that no configured key is meant for.
    let algorithm = jws
        .alg()
        .and_then(Algorithm::from_name)
        .filter(|algorithm| settings.algorithms.contains(algorithm))
        .ok_or(Rejection::UnsupportedAlgorithm)?;
    let signature = jws.signature()?;
    let message = jws.signing_input.as_bytes();
    let valid = match algorithm {
        Algorithm::Hmac(hash) => {
            // Only the secret keys an HMAC, never a public key passed off as one.
            let secret = settings
                .secret
                .as_deref()
                .ok_or(Rejection::UnsupportedAlgorithm)?;
            crypto::hmac_verify(hash, secret, message, &signature)
        }
        Algorithm::Signature(algorithm) => keys::select(&settings.keys, jws.kid(), algorithm)?
            .into_iter()
            .any(|key| matches!(key.key.verify(algorithm, message, &signature), Ok(true))),
    };
    if !valid {
        return Err(Rejection::InvalidSignature);
    }
    jws.payload()
}

auth_plugin!(Jwt);
