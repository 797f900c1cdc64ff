//! A live mock server with component plugins on its request path.
#![deny(missing_docs)]

pub mod config;
pub mod plugins;
pub mod routes;
