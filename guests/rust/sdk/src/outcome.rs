use crate::bindings::wire;
use crate::{Denial, Identity};

/// The verdict of an auth plugin.
#[derive(Debug, Clone)]
pub enum AuthOutcome {
    /// The request is authenticated as this identity.
    Allow(Identity),
    /// The request is refused.
    Deny(Denial),
    /// Not this plugin's scheme (no credentials it understands): the chain goes on to the next
    /// auth plugin. When every plugin abstains, the embedder decides.
    Abstain,
}

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

    /// Leave the request to the next auth plugin: it carries no credentials of this plugin's
    /// scheme.
    pub fn abstain() -> Self {
        Self::Abstain
    }

    /// The outcome as it crosses to the host.
    pub(crate) fn into_wire(self) -> wire::AuthOutcome {
        match self {
            Self::Allow(identity) => wire::AuthOutcome::Allow(identity.into_wire()),
            Self::Deny(denial) => wire::AuthOutcome::Deny(denial),
            Self::Abstain => wire::AuthOutcome::Abstain,
        }
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
