//! An auth plugin that allocates memory until it is stopped, to test the host's memory limit.

use std::hint::black_box;

use mockforge_component_sdk::{auth_plugin, AuthOutcome, AuthPlugin, PluginError, Request};

const CHUNK: usize = 1 << 20;

struct MemoryBomb;

impl AuthPlugin for MemoryBomb {
    fn authenticate(_req: &Request) -> Result<AuthOutcome, PluginError> {
        let mut hoard: Vec<Vec<u8>> = Vec::new();
        loop {
            // Filling each chunk touches its pages, so the memory is really committed.
            hoard.push(vec![0xa5; CHUNK]);
            black_box(&mut hoard);
        }
    }
}

auth_plugin!(MemoryBomb);
