//! HS256 bearer JWT authentication: see the README beside `Cargo.toml` for the configuration.

mod claims;
mod rejection;
mod settings;
mod token;

use std::time::{SystemTime, UNIX_EPOCH};

use mockforge_component_sdk::{
    auth_plugin, log, AuthOutcome, AuthPlugin, Identity, PluginError, Request,
};

use crate::rejection::Rejection;
use crate::settings::Settings;

struct Jwt;

impl AuthPlugin for Jwt {
    fn authenticate(req: &Request) -> Result<AuthOutcome, PluginError> {
        let settings = Settings::get()?;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|e| PluginError::Internal(format!("the clock is before 1970: {e}")))?
            .as_secs_f64();
        Ok(match authenticate(req, settings, now) {
            Ok(identity) => AuthOutcome::allow(identity),
            Err(rejection) => {
                log::debug("jwt rejected", &[("reason", rejection.reason())]);
                rejection.denial().into()
            }
        })
    }
}

fn authenticate(req: &Request, settings: &Settings, now: f64) -> Result<Identity, Rejection> {
    let token = bearer_token(req).ok_or(Rejection::MissingToken)?;
    let claims = token::verify(&token, &settings.mac)?;
    claims::check(&claims, settings, now)?;
    claims::identity(&claims)
}

/// The token of an `Authorization: Bearer <token>` header; the scheme is case-insensitive
/// (RFC 7235).
fn bearer_token(req: &Request) -> Option<String> {
    let value = req.header("authorization")?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_owned())
}

auth_plugin!(Jwt);
