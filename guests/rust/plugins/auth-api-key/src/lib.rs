//! API key authentication: see the README beside `Cargo.toml` for the configuration.

mod keys;

use mockforge_component_sdk::{
    auth_plugin, config, AuthOutcome, AuthPlugin, Denial, Identity, PluginError, Request,
};

use crate::keys::Keys;

const DEFAULT_HEADER: &str = "x-api-key";
const DEFAULT_QUERY_PARAM: &str = "api_key";
const CHALLENGE: &str = r#"ApiKey realm="mockforge""#;

struct ApiKey;

impl AuthPlugin for ApiKey {
    fn authenticate(req: &Request) -> Result<AuthOutcome, PluginError> {
        let keys = Keys::parse(&config::require("keys")?)?;
        let header = config::get("header").unwrap_or_else(|| DEFAULT_HEADER.into());
        let query_param = config::get("query-param").unwrap_or_else(|| DEFAULT_QUERY_PARAM.into());

        let Some(presented) = req
            .header(&header)
            .or_else(|| req.query_param(&query_param))
        else {
            return Ok(deny("missing api key"));
        };
        let Some(id) = keys.find(&presented) else {
            return Ok(deny("invalid api key"));
        };
        let roles = config::get("roles").unwrap_or_default();
        let roles = roles
            .split(',')
            .map(str::trim)
            .filter(|role| !role.is_empty());
        Ok(AuthOutcome::allow(Identity::new(id).with_roles(roles)))
    }
}

fn deny(reason: &str) -> AuthOutcome {
    Denial::new(401, reason)
        .with_header("WWW-Authenticate", CHALLENGE)
        .into()
}

auth_plugin!(ApiKey);
