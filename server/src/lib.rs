//! A live mock server with component plugins on its request path: `mfplugin serve`.
//!
//! A TOML configuration ([`config::ServerConfig`]) names the plugins in chain order (folders
//! holding components, legacy core modules or `[remote]` manifests) and a route table of
//! method + path template to a default mock response. Auth plugins run before routing (the
//! `mockforge-component-http` auth layer), response plugins around each route. Admin endpoints
//! live under `/__mockforge/`; the plugin folders and the configuration are watched, and a
//! change is loaded off the request path and swapped in whole, or refused with the old
//! version still serving.
#![deny(missing_docs)]

mod admin;
mod app;
pub mod config;
mod metrics;
pub mod plugins;
pub mod routes;
mod server;
mod state;
mod watch;

pub use metrics::{ServerMetrics, CONTENT_TYPE as METRICS_CONTENT_TYPE};
pub use server::{ServeError, ServeOptions, Server};
pub use state::{Generation, ReloadStatus, Shared};
