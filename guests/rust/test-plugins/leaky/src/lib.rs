//! An auth plugin that keeps 1 MiB more memory on every call, to test that the host retires a
//! warm instance that has grown close to its memory limit instead of failing a caller with it.

use mockforge_component_sdk::{
    auth_plugin, AuthOutcome, AuthPlugin, Identity, PluginError, Request,
};

const CHUNK: usize = 1 << 20;

struct Leaky;

impl AuthPlugin for Leaky {
    fn authenticate(_req: &Request) -> Result<AuthOutcome, PluginError> {
        // Filled, so that the pages are really committed, then never freed (`black_box` keeps
        // the optimizer from proving the block unused and not allocating it at all).
        std::hint::black_box(Vec::leak(vec![0x5a_u8; CHUNK]));
        Ok(AuthOutcome::Allow(Identity::new("leaky")))
    }
}

auth_plugin!(Leaky);
