//! API key authentication: see the README beside `Cargo.toml` for the configuration.

mod keys;

use std::sync::OnceLock;

use mockforge_component_sdk::{
    auth_plugin, config, AuthOutcome, AuthPlugin, Denial, Identity, PluginError, Request,
};

use crate::keys::Keys;

const DEFAULT_HEADER: &str = "x-api-key";
const DEFAULT_QUERY_PARAM: &str = "api_key";
const CHALLENGE: &str = r#"ApiKey realm="mockforge""#;

/// The configuration, read on an instance's first call and kept (keys digested once).
struct Settings {
    keys: Keys,
    header: String,
    query_param: String,
    roles: Vec<String>,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

impl Settings {
    fn get() -> Result<&'static Self, PluginError> {
        if let Some(settings) = SETTINGS.get() {
            return Ok(settings);
        }
        let settings = Self {
            keys: Keys::parse(&config::require("keys")?)?,
            header: config::get("header").unwrap_or_else(|| DEFAULT_HEADER.into()),
            query_param: config::get("query-param").unwrap_or_else(|| DEFAULT_QUERY_PARAM.into()),
            roles: config::get("roles")
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|role| !role.is_empty())
                .map(str::to_owned)
                .collect(),
        };
        Ok(SETTINGS.get_or_init(|| settings))
    }
}

struct ApiKey;

impl AuthPlugin for ApiKey {
    fn authenticate(req: &Request) -> Result<AuthOutcome, PluginError> {
        let settings = Settings::get()?;
        // No key in the header or the query: not this plugin's scheme.
        let Some(presented) = req
            .header(&settings.header)
            .or_else(|| req.query_param(&settings.query_param))
        else {
            return Ok(AuthOutcome::abstain());
        };
        let Some(id) = settings.keys.find(&presented) else {
            return Ok(Denial::new(401, "invalid api key")
                .with_header("WWW-Authenticate", CHALLENGE)
                .into());
        };
        Ok(AuthOutcome::allow(
            Identity::new(id).with_roles(settings.roles.iter().cloned()),
        ))
    }
}

auth_plugin!(ApiKey);
