//! What an embedder requires of plugin signatures, and the keys it trusts.

use crate::signing::keys::PublicKey;

/// Whether plugin signatures are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignaturePolicy {
    /// Signature files are not read. The default.
    #[default]
    Ignore,
    /// A plugin with a signature file must be signed by a trusted key and unchanged since;
    /// a plugin without one loads.
    VerifyIfPresent,
    /// Every plugin must be signed by a trusted key and unchanged since.
    Require,
}

/// The keys an embedder trusts and what it requires of plugins; part of
/// [`HostConfig`](crate::HostConfig).
#[derive(Debug, Clone, Default)]
pub(crate) struct SignatureSettings {
    pub policy: SignaturePolicy,
    pub trusted: Vec<PublicKey>,
}
