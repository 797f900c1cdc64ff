//! `wasi:random/insecure-seed`, served by the host itself instead of through WASI's context.
//!
//! Languages ask for this seed once per instance to key their hash maps (Rust's `RandomState`,
//! which serde_json's ordered maps use, does so on the first map an instance creates). Served
//! by WASI, the call would build the instance's whole WASI context (streams, clocks, seeded
//! generators) only to read one number, on every fresh instance. Here it is one draw from the
//! thread's own generator (ChaCha, seeded by the operating system: wasmtime-wasi's own source
//! of randomness), so that a plugin that makes no other WASI call never builds a WASI context.
//! Each instance gets its own unpredictable seed, as the interface encourages for programs
//! that read attacker-controlled input.

use rand::RngExt;
use wasmtime::component::{HasSelf, Linker};
use wasmtime_wasi::p2::bindings::random::insecure_seed;

use crate::component::store::InstanceState;

impl insecure_seed::Host for InstanceState {
    fn insecure_seed(&mut self) -> wasmtime::Result<(u64, u64)> {
        let mut rng = rand::rng();
        Ok((rng.random(), rng.random()))
    }
}

/// Replaces WASI's `insecure-seed` in `linker` (which must already hold WASI) with the host's.
pub(crate) fn replace_wasi_seed(linker: &mut Linker<InstanceState>) -> wasmtime::Result<()> {
    linker.allow_shadowing(true);
    let replaced = insecure_seed::add_to_linker::<_, HasSelf<InstanceState>>(linker, |state| state);
    linker.allow_shadowing(false);
    replaced
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use wasmtime::Engine;
    use wasmtime_wasi::WasiView;

    use super::*;
    use crate::component::store::{new_store, test_context, PluginContext};

    fn context() -> Arc<PluginContext> {
        test_context("seeded")
    }

    #[test]
    fn the_seed_varies_and_builds_no_wasi_context() {
        let engine = Engine::default();
        let mut first = new_store(&engine, &context());
        let mut second = new_store(&engine, &context());
        let a = insecure_seed::Host::insecure_seed(first.data_mut()).unwrap();
        let b = insecure_seed::Host::insecure_seed(second.data_mut()).unwrap();
        assert_ne!(a, b, "two instances got the same seed");
        assert!(!first.data().wasi_built(), "the seed built a WASI context");
        // Any WASI call builds it, once.
        let _ = first.data_mut().ctx();
        assert!(first.data().wasi_built());
    }
}
