//! The benchmark auth plugin: it allows a request whose `authorization` header is exactly
//! `Bearer good`, denies one with any other `authorization` header and abstains when there is
//! none, so that a benchmark measures the plugin call itself.

use mockforge_component_sdk::{
    auth_plugin, AuthOutcome, AuthPlugin, Identity, PluginError, Request,
};

struct Trivial;

impl AuthPlugin for Trivial {
    fn authenticate(req: &Request) -> Result<AuthOutcome, PluginError> {
        Ok(match req.header("authorization").as_deref() {
            None => AuthOutcome::abstain(),
            Some("Bearer good") => AuthOutcome::allow(Identity::new("good")),
            Some(_) => AuthOutcome::deny(401, "denied"),
        })
    }
}

auth_plugin!(Trivial);
