//! The plugin's own configuration: the `[config]` table of its manifest, as strings.
//!
//! ```no_run
//! use mockforge_component_sdk::{config, PluginError};
//!
//! fn settings() -> Result<(String, u64), PluginError> {
//!     let secret = config::require("secret")?;
//!     let leeway = config::parse("leeway-seconds")?.unwrap_or(0);
//!     Ok((secret, leeway))
//! }
//! ```

use std::fmt::Display;
use std::str::FromStr;

use crate::PluginError;

pub use crate::bindings::auth_world::mockforge::plugin::config::{get, keys};

/// The value of `key`, or [`PluginError::InvalidConfig`] naming the key when it is not set.
pub fn require(key: &str) -> Result<String, PluginError> {
    get(key).ok_or_else(|| PluginError::InvalidConfig(format!("missing config key `{key}`")))
}

/// The value of `key` parsed as a `T`, `None` when it is not set, or
/// [`PluginError::InvalidConfig`] naming the key and value when it does not parse.
pub fn parse<T>(key: &str) -> Result<Option<T>, PluginError>
where
    T: FromStr,
    T::Err: Display,
{
    get(key)
        .map(|value| {
            value.trim().parse().map_err(|e| {
                PluginError::InvalidConfig(format!("config key `{key}` = {value:?}: {e}"))
            })
        })
        .transpose()
}
