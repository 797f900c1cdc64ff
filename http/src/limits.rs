//! The bounds the layers put on what they buffer.

/// How much of a request or response the layers read into memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyLimits {
    /// A request body longer than this is refused with 413 before any plugin runs.
    pub max_request_body: usize,
    /// A route's or a plugin's response body longer than this is an error (500), never sent.
    pub max_response_body: usize,
}

/// 1 MiB.
pub const DEFAULT_MAX_REQUEST_BODY: usize = 1 << 20;
/// 8 MiB.
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 8 << 20;

impl Default for BodyLimits {
    fn default() -> Self {
        Self {
            max_request_body: DEFAULT_MAX_REQUEST_BODY,
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
        }
    }
}
