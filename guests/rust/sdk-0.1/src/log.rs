//! Structured logging into the host's log, where each record is tagged with the plugin's name.
//!
//! ```no_run
//! use mockforge_component_sdk::log;
//!
//! log::info("user looked up", &[("id", "42"), ("cache", "miss")]);
//! ```

pub use crate::bindings::auth_world::mockforge::plugin::log::{log, Level};

/// Log `message` with `fields` at [`Level::Trace`].
pub fn trace(message: &str, fields: &[(&str, &str)]) {
    log(Level::Trace, message, fields);
}

/// Log `message` with `fields` at [`Level::Debug`].
pub fn debug(message: &str, fields: &[(&str, &str)]) {
    log(Level::Debug, message, fields);
}

/// Log `message` with `fields` at [`Level::Info`].
pub fn info(message: &str, fields: &[(&str, &str)]) {
    log(Level::Info, message, fields);
}

/// Log `message` with `fields` at [`Level::Warn`].
pub fn warn(message: &str, fields: &[(&str, &str)]) {
    log(Level::Warn, message, fields);
}

/// Log `message` with `fields` at [`Level::Error`].
pub fn error(message: &str, fields: &[(&str, &str)]) {
    log(Level::Error, message, fields);
}
