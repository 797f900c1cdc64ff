//! A key-value store private to the plugin, kept by the host: every instance of the plugin
//! sees the same store (a fresh instance per call still finds what an earlier call stored),
//! and no plugin sees another plugin's keys. It lives in the host's memory while the plugin
//! is loaded; the plugin's manifest caps its size, and a write past a cap is refused.
//!
//! ```no_run
//! use std::time::Duration;
//! use mockforge_component_sdk::{kv, PluginError};
//!
//! fn next_order() -> Result<i64, PluginError> {
//!     let id = kv::increment("orders/next-id", 1)?;
//!     kv::set(&format!("orders/{id}"), b"{}", None)?;
//!     kv::set("session/abc", "ada", Some(Duration::from_secs(60)))?;
//!     Ok(id)
//! }
//! ```

use std::time::Duration;

use crate::bindings::auth_world::mockforge::plugin::kv as wire;
use crate::PluginError;

pub use wire::KvError;

/// The value of `key`; `None` when it is absent or its time to live has passed.
pub fn get(key: &str) -> Option<Vec<u8>> {
    wire::get(key)
}

/// Store `value` under `key`, replacing any value. With a `ttl` the key expires that long
/// after (rounded up to whole milliseconds); without one it stays until deleted.
pub fn set(key: &str, value: impl AsRef<[u8]>, ttl: Option<Duration>) -> Result<(), KvError> {
    wire::set(key, value.as_ref(), ttl.map(ttl_millis))
}

/// Remove `key`; whether it was there.
pub fn delete(key: &str) -> bool {
    wire::delete(key)
}

/// Add `delta` to the decimal integer stored under `key` (0 when absent) atomically, store
/// the sum as decimal text and return it; the key keeps its time to live. A value that is not
/// a decimal 64-bit integer, or a sum that overflows, is a [`KvError::NotANumber`].
pub fn increment(key: &str, delta: i64) -> Result<i64, KvError> {
    wire::increment(key, delta)
}

/// The live keys that start with `prefix`, sorted, at most `limit` of them.
pub fn keys(prefix: &str, limit: u32) -> Vec<String> {
    wire::keys(prefix, limit)
}

/// `ttl` in whole milliseconds, rounded up so that a short time to live is not "expired at
/// once", and capped at `u64::MAX`.
fn ttl_millis(ttl: Duration) -> u64 {
    let millis = ttl.as_nanos().div_ceil(1_000_000);
    u64::try_from(millis).unwrap_or(u64::MAX)
}

/// A refused write the plugin does not handle becomes an internal error naming it.
impl From<KvError> for PluginError {
    fn from(error: KvError) -> Self {
        PluginError::Internal(format!("kv: {error}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttls_round_up_to_milliseconds() {
        assert_eq!(ttl_millis(Duration::ZERO), 0);
        assert_eq!(ttl_millis(Duration::from_nanos(1)), 1);
        assert_eq!(ttl_millis(Duration::from_millis(1500)), 1500);
        assert_eq!(ttl_millis(Duration::from_micros(1500)), 2);
        assert_eq!(ttl_millis(Duration::MAX), u64::MAX);
    }
}
