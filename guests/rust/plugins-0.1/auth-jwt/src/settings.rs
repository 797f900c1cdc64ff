use std::sync::OnceLock;

use hmac::{Hmac, KeyInit};
use mockforge_component_sdk::{config, PluginError};
use sha2::Sha256;

/// The plugin's configuration, read from the manifest's `[config]` table.
pub struct Settings {
    /// HMAC-SHA256 keyed with the `secret` config value, ready to verify signatures.
    pub mac: Hmac<Sha256>,
    /// The required `iss` claim, when configured.
    pub issuer: Option<String>,
    /// The value the `aud` claim must be or contain, when configured.
    pub audience: Option<String>,
    /// Seconds of clock skew tolerated on `exp` and `nbf`.
    pub leeway: u64,
}

/// The settings of this instance, read on its first call. A plugin's configuration is fixed for
/// an instance's lifetime (a changed manifest is a reload, with new instances), so a warm
/// instance keeps the keyed HMAC state instead of fetching four keys and hashing the secret
/// on every call.
static SETTINGS: OnceLock<Settings> = OnceLock::new();

impl Settings {
    /// The settings, loaded once per instance; a configuration error is returned on every call
    /// (nothing is kept).
    pub fn get() -> Result<&'static Self, PluginError> {
        if let Some(settings) = SETTINGS.get() {
            return Ok(settings);
        }
        let settings = Self::load()?;
        Ok(SETTINGS.get_or_init(|| settings))
    }

    fn load() -> Result<Self, PluginError> {
        let secret = config::require("secret")?;
        // An empty key makes every signature forgeable.
        if secret.is_empty() {
            return Err(PluginError::InvalidConfig(
                "config key `secret` is empty".into(),
            ));
        }
        let mac = Hmac::new_from_slice(secret.as_bytes())
            .map_err(|e| PluginError::InvalidConfig(format!("config key `secret`: {e}")))?;
        Ok(Self {
            mac,
            issuer: config::get("issuer"),
            audience: config::get("audience"),
            leeway: config::parse("leeway-seconds")?.unwrap_or(0),
        })
    }
}
