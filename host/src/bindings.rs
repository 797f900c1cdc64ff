//! Host bindings generated from the WIT package in `wit/`. Private: embedders see the types in
//! [`crate::types`] instead, so the generated code can change without breaking them.

wasmtime::component::bindgen!({
    path: "../wit",
    world: "plugin",
    imports: { default: trappable },
    exports: { default: async },
    with: {
        "mockforge:plugin/types.request": crate::imports::request::LentRequest,
    },
});

pub(crate) use exports::mockforge::plugin::auth::GuestIndices as AuthIndices;
pub(crate) use exports::mockforge::plugin::responder::GuestIndices as ResponderIndices;
pub(crate) use mockforge::plugin::{config, log, types};

/// The fully qualified export name of the auth interface.
pub(crate) const AUTH_EXPORT: &str = "mockforge:plugin/auth@0.1.0";
/// The fully qualified export name of the responder interface.
pub(crate) const RESPONDER_EXPORT: &str = "mockforge:plugin/responder@0.1.0";
