//! Why a plugin's signature was refused.

use std::path::PathBuf;

/// Why a plugin's signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureProblem {
    /// There is no signature file and the policy requires one.
    #[error("unsigned: no signature file at {}", path.display())]
    Missing {
        /// Where the signature file was looked for.
        path: PathBuf,
    },
    /// The plugin was handed over as bytes and a manifest, not read from a manifest file,
    /// so it carries no signature; the policy requires one.
    #[error("unsigned: loaded from bytes, not from a manifest file, so it carries no signature")]
    NoManifestFile,
    /// The signature file cannot be read (not a regular file, too large, an I/O error).
    #[error("cannot read the signature file {}: {reason}", path.display())]
    Unreadable {
        /// The signature file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The signature file is not of this format; its contents are not quoted.
    #[error("malformed signature file {}: {reason}", path.display())]
    Malformed {
        /// The signature file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The signature names a key the embedder does not trust.
    #[error("signed by key {key_id}, which is not among the {trusted} trusted key(s)")]
    UntrustedKey {
        /// The id of the key named by the signature.
        key_id: String,
        /// How many keys the embedder trusts.
        trusted: usize,
    },
    /// The signature does not verify over the bytes being loaded.
    #[error("the signature by key {key_id} does not match: {tampered}")]
    Mismatch {
        /// The id of the (trusted) key named by the signature.
        key_id: String,
        /// What differs from what was signed.
        tampered: Tampered,
    },
}

/// What differs between a plugin and its signature, judged by the digests the signature file
/// records (hints that are not themselves trusted: the signature is what is verified).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Tampered {
    /// The component's bytes changed since signing.
    #[error("the component changed since it was signed")]
    Component,
    /// The manifest's text changed since signing.
    #[error("the manifest changed since it was signed")]
    Manifest,
    /// Both changed since signing.
    #[error("the component and the manifest changed since they were signed")]
    ComponentAndManifest,
    /// Both digests are as signed, but the signature itself is wrong (forged or damaged).
    #[error("the signature itself is invalid")]
    Signature,
}
