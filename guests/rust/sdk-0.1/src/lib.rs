//! Write MockForge plugins in Rust.
//!
//! A plugin is a WebAssembly component. Implement [`AuthPlugin`], [`ResponsePlugin`] or both for
//! a type, then register it with exactly one of [`auth_plugin!`], [`response_plugin!`] or
//! [`plugin!`]; the macro decides which interfaces the component exports, which is how the host
//! tells what kind of plugin it loaded.
//!
//! ```no_run
//! use mockforge_component_sdk::{auth_plugin, AuthOutcome, AuthPlugin, Identity, PluginError, Request};
//!
//! struct Knock;
//!
//! impl AuthPlugin for Knock {
//!     fn authenticate(req: &Request) -> Result<AuthOutcome, PluginError> {
//!         Ok(match req.header("x-knock") {
//!             Some(who) => AuthOutcome::allow(Identity::new(who)),
//!             None => AuthOutcome::deny(401, "knock first"),
//!         })
//!     }
//! }
//!
//! auth_plugin!(Knock);
//! # fn main() {}
//! ```
//!
//! Build with `cargo build --release --target wasm32-wasip2` and a `cdylib` crate type; the
//! `.wasm` file cargo writes is the component.

extern crate self as mockforge_component_sdk;

mod auth;
mod bindings;
pub mod config;
mod denial;
mod identity;
pub mod log;
mod outcome;
mod register;
mod respond;
mod response;

pub use auth::AuthPlugin;
pub use bindings::auth_world::mockforge::plugin::types::{
    AuthOutcome, Denial, Header, Identity, Json, PluginError, Request, Response,
};
pub use respond::ResponsePlugin;

/// What the registration macros expand to; not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use crate::bindings::{auth_world, response_world};
    pub use wit_bindgen;
}
