//! `PluginResult::execution_time_ms`: whole milliseconds since a call started.

use std::time::Instant;

/// Milliseconds since `started`, saturating.
pub(crate) fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}
