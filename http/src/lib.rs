//! The HTTP layer MockForge mounts to put component plugins on a mock server's request path
//! (axum 0.8, tower, hyper 1), built on `mockforge-component-host`'s public API only.
//!
//! - [`AuthLayer`] runs an [`AuthChain`] before routing: auth plugins in order, the first
//!   `allow` wins and its identity goes into the request's extensions as [`Authenticated`];
//!   when no plugin allows, the first denial answers with its status, reason and headers
//!   (every denying plugin's `WWW-Authenticate` challenge included). Excluded paths
//!   (`/health*` and `/__mockforge/*` by default) pass untouched.
//! - [`ResponseLayer`] runs a [`ResponseChain`] around a route after matching: the first
//!   plugin that produces a response wins, `none` falls through to the route's own mock, and
//!   every plugin may then modify the result.
//! - Each plugin in a chain ([`ChainPlugin`]) has a path scope, a [`FailurePolicy`] (fail
//!   closed by default: a generic 503/500 whose cause goes only to the log) and a [`Breaker`]
//!   that takes a plugin that keeps failing out of the path for a cool-down, then probes it.
//! - [`RequestIdLayer`] and [`DeadlineLayer`] give every request an id and a deadline;
//!   [`BodyLimits`] bound what is buffered. Every plugin answer is checked before it reaches
//!   the wire (status 100-599, a denial 4xx/5xx, header names and values HTTP allows, body
//!   size); an invalid answer is that plugin's failure.
//!
//! ```no_run
//! use axum::{routing::get, Extension, Router};
//! use mockforge_component_host::{HostConfig, PluginHost};
//! use mockforge_component_http::{
//!     AuthChain, Authenticated, ChainPlugin, PathScope, RequestIdLayer, ResponseChain,
//! };
//! use tower::ServiceBuilder;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let host = PluginHost::new(HostConfig::default())?;
//! let jwt = host.load("target/plugins/rust/auth-jwt").await?;
//! let template = host.load("target/plugins/rust/response-template").await?;
//!
//! let auth = AuthChain::new(vec![
//!     ChainPlugin::new(jwt).scope(PathScope::new(["/orders/*"])),
//! ]);
//! let responses = ResponseChain::new(vec![ChainPlugin::new(template)]);
//!
//! async fn order(who: Option<Extension<Authenticated>>) -> String {
//!     match who {
//!         Some(Extension(who)) => format!("an order for {}", who.identity.subject),
//!         None => "an order".into(),
//!     }
//! }
//! let app = Router::new()
//!     .route("/orders/{id}", get(order))
//!     .route_layer(responses.layer())
//!     .layer(ServiceBuilder::new().layer(RequestIdLayer).layer(auth.layer()));
//!
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, app).await?;
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

use std::future::Future;
use std::pin::Pin;

mod auth;
mod breaker;
mod chain_plugin;
mod convert;
mod deadline;
mod errors;
mod limits;
mod policy;
mod request_id;
mod respond;
mod scope;

pub use auth::{
    AuthChain, AuthLayer, AuthService, Authenticated, WhenNoneDecides, DEFAULT_CHALLENGE,
    DEFAULT_EXCLUDED,
};
pub use breaker::{Breaker, BreakerState, Ticket};
pub use chain_plugin::{ChainPlugin, ChainStats};
pub use deadline::{DeadlineLayer, DeadlineService};
pub use limits::{
    BodyLimits, DEFAULT_BODY_READ_TIMEOUT, DEFAULT_MAX_REQUEST_BODY, DEFAULT_MAX_RESPONSE_BODY,
};
pub use policy::{
    BreakerSettings, FailurePolicy, DEFAULT_BREAKER_COOLDOWN, DEFAULT_BREAKER_FAILURES,
    DEFAULT_BREAKER_WINDOW,
};
pub use request_id::{
    RequestId, RequestIdLayer, RequestIdService, MAX_REQUEST_ID_LEN, REQUEST_ID_HEADER,
};
pub use respond::{ResponseChain, ResponseLayer, ResponseService};
pub use scope::PathScope;

/// The boxed future every service of this crate returns.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;
