//! MockForge's plugin traits over real built plugins, used only through MockForge's trait
//! objects (`Box<dyn AuthPlugin>`, `Arc<dyn ResponsePlugin>`, ...): the bridge's own API only
//! loads them. A plugin that is not built fails its test with the `just` recipe that builds
//! it.

mod auth;
mod concurrency;
mod factory;
mod failures;
mod legacy_go;
mod modify;
mod remote_python;
mod respond;
mod support;
