use crate::{AuthOutcome, Denial, Identity};

impl AuthOutcome {
    /// Allow the request as `identity`.
    pub fn allow(identity: Identity) -> Self {
        Self::Allow(identity)
    }

    /// Refuse the request with `status` and `reason` and no headers; build a [`Denial`] to add
    /// headers.
    pub fn deny(status: u16, reason: impl Into<String>) -> Self {
        Self::Deny(Denial::new(status, reason))
    }
}

impl From<Identity> for AuthOutcome {
    fn from(identity: Identity) -> Self {
        Self::Allow(identity)
    }
}

impl From<Denial> for AuthOutcome {
    fn from(denial: Denial) -> Self {
        Self::Deny(denial)
    }
}
