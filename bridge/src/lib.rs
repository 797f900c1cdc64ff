//! MockForge's plugin traits (`mockforge-plugin-core` 0.3.230) on the component plugin host:
//! a plugin folder loaded by [`ComponentPlugin::load`] (a component, a legacy core module or a
//! remote plugin) is an object MockForge boxes as `dyn AuthPlugin`, `dyn ResponsePlugin` or
//! `dyn ResponseModifierPlugin`, and [`ComponentPluginFactory`] implements MockForge's
//! factory traits.
//!
//! The mapping between the two contracts, and everything that does not survive it, is in
//! this crate's README, included below.
//!
#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod answer_cache;
mod auth;
mod capabilities;
mod config;
mod convert;
mod errors;
mod factory;
mod modify;
mod plugin;
mod respond;
mod timing;

pub use answer_cache::{
    AnswerCacheLimits, DEFAULT_ANSWER_TTL, DEFAULT_MAX_ANSWERS, DEFAULT_MAX_ANSWER_BYTES,
};
pub use capabilities::plugin_capabilities;
pub use config::config_entries;
pub use convert::{
    auth_request, auth_response, context_identity, host_response, modified_response_data,
    response_data, response_request, ABSTAINED_KEY, ABSTAINED_MESSAGE, DEFAULT_CONTENT_TYPE,
    DENIAL_HEADERS_KEY, DENIAL_STATUS_KEY, RESPONSE_HEADERS_KEY, ROUTE_KEY,
};
pub use errors::plugin_error;
pub use factory::ComponentPluginFactory;
pub use plugin::{ComponentPlugin, DEFAULT_PRIORITY};

/// The host crate, so that MockForge uses the same version as the bridge.
pub use mockforge_component_host as host;
/// MockForge's plugin contract, as the bridge implements it.
pub use mockforge_plugin_core as core;
