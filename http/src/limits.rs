//! The bounds the layers put on what they buffer.

use std::time::Duration;

/// How much of a request or response the layers read into memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyLimits {
    /// A request body longer than this is refused with 413 before any plugin runs.
    pub max_request_body: usize,
    /// A route's or a plugin's response body longer than this is an error (500), never sent.
    pub max_response_body: usize,
    /// A request body not received within this time is refused with 408 (a slow client).
    pub read_timeout: Duration,
}

/// 1 MiB.
pub const DEFAULT_MAX_REQUEST_BODY: usize = 1 << 20;
/// 8 MiB.
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 8 << 20;
/// 10 seconds.
pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);

impl Default for BodyLimits {
    fn default() -> Self {
        Self {
            max_request_body: DEFAULT_MAX_REQUEST_BODY,
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
            read_timeout: DEFAULT_BODY_READ_TIMEOUT,
        }
    }
}
