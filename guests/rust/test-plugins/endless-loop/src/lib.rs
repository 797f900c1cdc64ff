//! An auth plugin that never returns, to test that the host's timeout stops it.

use std::hint::black_box;

use mockforge_component_sdk::{auth_plugin, AuthOutcome, AuthPlugin, PluginError, Request};

struct EndlessLoop;

impl AuthPlugin for EndlessLoop {
    fn authenticate(_req: &Request) -> Result<AuthOutcome, PluginError> {
        // `black_box` keeps the optimizer from proving the loop useless.
        let mut spins = 0u64;
        loop {
            spins = black_box(spins.wrapping_add(1));
        }
    }
}

auth_plugin!(EndlessLoop);
