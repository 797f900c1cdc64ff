//! Write MockForge plugins in Rust, against `mockforge:plugin@0.2.0`.
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
//!             Some(who) if !who.is_empty() => AuthOutcome::allow(Identity::new(who)),
//!             Some(_) => AuthOutcome::deny(401, "say who you are"),
//!             // Not our scheme: the next auth plugin decides.
//!             None => AuthOutcome::abstain(),
//!         })
//!     }
//! }
//!
//! auth_plugin!(Knock);
//! # fn main() {}
//! ```
//!
//! Besides the request, a plugin has the host's [`log`], its own [`config`], the host's
//! [`crypto`] (digests, HMAC, signature verification), its [`jwt`] verifier (a JSON Web Token
//! checked in one call) and a [`kv`] store shared by every instance of the plugin.
//!
//! Build with `cargo build --release --target wasm32-wasip2` and a `cdylib` crate type; the
//! `.wasm` file cargo writes is the component.

extern crate self as mockforge_component_sdk;

mod auth;
mod bindings;
pub mod config;
pub mod crypto;
mod denial;
mod export;
mod identity;
pub mod jwt;
pub mod kv;
pub mod log;
mod outcome;
mod register;
mod request;
mod respond;
mod response;

pub use auth::AuthPlugin;
pub use bindings::wire::{Denial, Header, PluginError, Response};
pub use identity::Identity;
pub use outcome::AuthOutcome;
pub use request::Request;
pub use respond::ResponsePlugin;
/// The JSON library the SDK uses for claims, re-exported so that a plugin builds claims with
/// the same version.
pub use serde_json;

/// The claims of an [`Identity`]: one JSON object. The SDK serializes it with `serde_json` when
/// the identity crosses to the host.
pub type Claims = serde_json::Map<String, serde_json::Value>;

/// What the registration macros expand to; not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use crate::bindings::{auth_world, response_world, wire};
    pub use crate::export::{authenticate, modify, respond};
    pub use wit_bindgen;
}
