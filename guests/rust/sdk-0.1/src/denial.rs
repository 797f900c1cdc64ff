use crate::Denial;

impl Denial {
    /// A refusal with HTTP `status` and a `reason` the client may see.
    pub fn new(status: u16, reason: impl Into<String>) -> Self {
        Self {
            status,
            reason: reason.into(),
            headers: Vec::new(),
        }
    }

    /// Add a header to the refusal, such as `WWW-Authenticate`.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}
