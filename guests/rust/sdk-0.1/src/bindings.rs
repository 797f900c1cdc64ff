//! Bindings generated from the WIT package in `wit/` at the repository root.
//!
//! There is one `generate!` per world that a plugin can export, because a component's exports
//! say which world it implements: an auth plugin must not export `responder`. `pub_export_macro`
//! makes wit-bindgen split each world's type information in two, so that the exports are
//! described only where a registration macro expands, in the plugin crate. The `plugin` world
//! (both exports) needs no bindings of its own: registering both exports yields the same
//! component. The response world reuses the auth world's imports through `with`, so that there
//! is one `Request` type and one copy of each import.

/// Bindings for the `auth-plugin` world; they also own the shared imports and types.
#[allow(
    missing_docs,
    reason = "generated glue such as `Guest` traits carries no docs"
)]
pub mod auth_world {
    wit_bindgen::generate!({
        world: "auth-plugin",
        path: "../../../wit/0.1.0",
        pub_export_macro: true,
        export_macro_name: "__export_auth_plugin",
        default_bindings_module: "::mockforge_component_sdk::__private::auth_world",
        runtime_path: "::mockforge_component_sdk::__private::wit_bindgen::rt",
        // Imports then take `&str` and `&[(&str, &str)]`: logging copies nothing.
        ownership: Borrowing { duplicate_if_necessary: false },
    });
}

/// Bindings for the `response-plugin` world's export; its imports are the auth world's.
#[allow(
    missing_docs,
    reason = "generated glue such as `Guest` traits carries no docs"
)]
pub mod response_world {
    wit_bindgen::generate!({
        world: "response-plugin",
        path: "../../../wit/0.1.0",
        pub_export_macro: true,
        export_macro_name: "__export_response_plugin",
        default_bindings_module: "::mockforge_component_sdk::__private::response_world",
        runtime_path: "::mockforge_component_sdk::__private::wit_bindgen::rt",
        ownership: Borrowing { duplicate_if_necessary: false },
        with: {
            "mockforge:plugin/types@0.1.0": crate::bindings::auth_world::mockforge::plugin::types,
            "mockforge:plugin/log@0.1.0": crate::bindings::auth_world::mockforge::plugin::log,
            "mockforge:plugin/config@0.1.0": crate::bindings::auth_world::mockforge::plugin::config,
        },
    });
}
