//! The host side of the WIT `config` interface: the plugin's own `[config]` values.

use crate::component::bindings::config::Host;
use crate::component::store::InstanceState;

impl Host for InstanceState {
    fn get(&mut self, key: String) -> wasmtime::Result<Option<String>> {
        Ok(self.plugin.config.get(&key).cloned())
    }

    fn keys(&mut self) -> wasmtime::Result<Vec<String>> {
        // A BTreeMap iterates in key order, which is the order the WIT promises.
        Ok(self.plugin.config.keys().cloned().collect())
    }
}
