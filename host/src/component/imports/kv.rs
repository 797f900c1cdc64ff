//! The host side of contract 0.2's `kv` interface: the plugin's own store
//! ([`KvStore`](crate::component::kv_store::KvStore)), shared by its instances.

use std::time::Duration;

use crate::component::bindings::v0_2::kv::{Host, KvError};
use crate::component::kv_store::KvRefusal;
use crate::component::store::InstanceState;

impl From<KvRefusal> for KvError {
    fn from(refusal: KvRefusal) -> Self {
        match refusal {
            KvRefusal::InvalidKey(m) => Self::InvalidKey(m),
            KvRefusal::ValueTooLarge(m) => Self::ValueTooLarge(m),
            KvRefusal::QuotaExceeded(m) => Self::QuotaExceeded(m),
            KvRefusal::NotANumber(m) => Self::NotANumber(m),
        }
    }
}

impl Host for InstanceState {
    fn get(&mut self, key: String) -> wasmtime::Result<Option<Vec<u8>>> {
        Ok(self.plugin.kv.get(&key))
    }

    fn set(
        &mut self,
        key: String,
        value: Vec<u8>,
        ttl_ms: Option<u64>,
    ) -> wasmtime::Result<Result<(), KvError>> {
        let ttl = ttl_ms.map(Duration::from_millis);
        Ok(self.plugin.kv.set(key, value, ttl).map_err(KvError::from))
    }

    fn delete(&mut self, key: String) -> wasmtime::Result<bool> {
        Ok(self.plugin.kv.delete(&key))
    }

    fn increment(&mut self, key: String, delta: i64) -> wasmtime::Result<Result<i64, KvError>> {
        Ok(self.plugin.kv.increment(key, delta).map_err(KvError::from))
    }

    fn keys(&mut self, prefix: String, limit: u32) -> wasmtime::Result<Vec<String>> {
        Ok(self.plugin.kv.keys(&prefix, limit as usize))
    }
}
