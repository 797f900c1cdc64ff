//! An auth plugin that panics, to test that the host turns a guest trap into an error.

use mockforge_component_sdk::{auth_plugin, AuthOutcome, AuthPlugin, PluginError, Request};

struct Panic;

impl AuthPlugin for Panic {
    fn authenticate(_req: &Request) -> Result<AuthOutcome, PluginError> {
        panic!("boom from the panic plugin")
    }
}

auth_plugin!(Panic);
