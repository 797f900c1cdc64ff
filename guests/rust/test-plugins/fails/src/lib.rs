//! An auth plugin that always fails, to test that a plugin's own error reaches the caller
//! intact.

use mockforge_component_sdk::{auth_plugin, AuthOutcome, AuthPlugin, PluginError, Request};

struct Fails;

impl AuthPlugin for Fails {
    fn authenticate(_req: &Request) -> Result<AuthOutcome, PluginError> {
        Err(PluginError::InvalidConfig(
            "the fails plugin always fails".into(),
        ))
    }
}

auth_plugin!(Fails);
