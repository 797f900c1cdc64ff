//! The host side of the WIT `config` interface, for every contract version: the plugin's own
//! `[config]` values.

use crate::component::bindings::{v0_1, v0_2};
use crate::component::store::InstanceState;

impl InstanceState {
    fn config_value(&self, key: &str) -> Option<String> {
        self.plugin.config.get(key).cloned()
    }

    fn config_keys(&self) -> Vec<String> {
        // A BTreeMap iterates in key order, which is the order the WIT promises.
        self.plugin.config.keys().cloned().collect()
    }
}

impl v0_1::config::Host for InstanceState {
    fn get(&mut self, key: String) -> wasmtime::Result<Option<String>> {
        Ok(self.config_value(&key))
    }

    fn keys(&mut self) -> wasmtime::Result<Vec<String>> {
        Ok(self.config_keys())
    }
}

impl v0_2::config::Host for InstanceState {
    fn get(&mut self, key: String) -> wasmtime::Result<Option<String>> {
        Ok(self.config_value(&key))
    }

    fn keys(&mut self) -> wasmtime::Result<Vec<String>> {
        Ok(self.config_keys())
    }
}
