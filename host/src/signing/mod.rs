//! Plugin integrity: the manifest's `sha256` pin, and detached Ed25519 signatures over a
//! plugin's component and manifest.
//!
//! - **Pin.** A manifest may name `sha256 = "<64 hex digits>"`: the component (or legacy core
//!   module) must hash to it, whatever the signature policy, else the load fails with
//!   [`Error::DigestMismatch`]. Remote plugins have no component and refuse the key.
//! - **Signatures.** `plugin.sig` beside `plugin.toml` (in general: the manifest's path with
//!   the extension `sig`) holds an Ed25519 signature over
//!   `"mockforge-plugin-signature-v1\0" || sha256(component bytes) || sha256(manifest text)`
//!   and the id of the key that made it. The manifest is covered byte for byte, so that
//!   capability grants, limits, configuration or a remote endpoint cannot be changed without
//!   re-signing; any edit to `plugin.toml`, even to a comment, needs a new signature. A remote
//!   plugin's component digest is that of no bytes.
//! - **Policy.** The embedder chooses a [`SignaturePolicy`] and the keys it trusts
//!   ([`HostConfig::signature_policy`](crate::HostConfig::signature_policy),
//!   [`HostConfig::trust_key`](crate::HostConfig::trust_key)). Under
//!   [`SignaturePolicy::Require`] an unsigned plugin, a signature by a key not trusted, and a
//!   component or manifest changed after signing are all refused with
//!   [`Error::Signature`] naming the plugin and the [`SignatureProblem`]. Plugins handed over
//!   as bytes ([`PluginHost::load_bytes`](crate::PluginHost::load_bytes),
//!   [`PluginHost::load_remote`](crate::PluginHost::load_remote)) have no manifest file and so
//!   no signature: they are refused under `Require`.
//!
//! Checks run on the bytes that were read, after reading and before the artifact cache or the
//! compiler sees them: a refused plugin is never compiled. [`sign_plugin`] and
//! [`verify_plugin`] read a plugin exactly as [`PluginHost::load`](crate::PluginHost::load)
//! does (`mfplugin sign` and `mfplugin verify` use them).

pub(crate) mod digest;
pub(crate) mod keys;
pub(crate) mod policy;
mod signature_file;

use std::path::{Path, PathBuf};

pub use crate::error::{SignatureProblem, Tampered};
pub use digest::SIGNATURE_DOMAIN;
pub use keys::{KeyError, PrivateKey, PublicKey, PRIVATE_KEY_PREFIX, PUBLIC_KEY_PREFIX};
pub use policy::SignaturePolicy;
pub(crate) use policy::SignatureSettings;
pub use signature_file::{
    signature_path, MAX_SIGNATURE_FILE_BYTES, SIGNATURE_EXTENSION, SIGNATURE_FORMAT,
};

use crate::error::{Error, Result};
use crate::manifest::Manifest;
use crate::source::{read_source, ReadRules, Source, WithoutManifest};
use digest::{hex, sha256, signed_message};
use signature_file::{ReadFailure, SignatureFile};

/// A plugin whose signature verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedSignature {
    /// The plugin's name.
    pub plugin: String,
    /// The id of the trusted key that signed it.
    pub key_id: String,
    /// The signature file.
    pub path: PathBuf,
    /// The component's SHA-256, in hex (that of no bytes for a remote plugin).
    pub component_sha256: String,
}

/// Checks `source` against its manifest's pin and the signature policy, on a blocking thread
/// (hashing a large component takes milliseconds); returns it unchanged when it passes. Costs
/// nothing when there is no pin and signatures are ignored.
pub(crate) async fn check_source(settings: &SignatureSettings, source: Source) -> Result<Source> {
    let pinned = source
        .manifest
        .component()
        .is_some_and(|component| component.sha256.is_some());
    if settings.policy == SignaturePolicy::Ignore && !pinned {
        return Ok(source);
    }
    let settings = settings.clone();
    let name = source.manifest.name.clone();
    tokio::task::spawn_blocking(move || {
        check(&settings, &source)?;
        Ok(source)
    })
    .await
    .map_err(|e| Error::host_caused(&name, "the signature check failed", e))?
}

/// The pin, then the signature as the policy says. `Ok(None)` when no signature was checked.
fn check(settings: &SignatureSettings, source: &Source) -> Result<Option<VerifiedSignature>> {
    let name = &source.manifest.name;
    let component_digest = sha256(&source.bytes);
    check_pin(&source.manifest, &component_digest)?;
    if settings.policy == SignaturePolicy::Ignore {
        return Ok(None);
    }
    let refuse = |problem| Error::Signature {
        plugin: name.clone(),
        problem,
    };
    let required = settings.policy == SignaturePolicy::Require;
    let Some(manifest_file) = &source.manifest_file else {
        return match required {
            true => Err(refuse(SignatureProblem::NoManifestFile)),
            false => Ok(None),
        };
    };
    let path = signature_path(&manifest_file.path);
    let file = match SignatureFile::read(&path) {
        Ok(file) => file,
        Err(ReadFailure::Missing) if !required => return Ok(None),
        Err(ReadFailure::Missing) => return Err(refuse(SignatureProblem::Missing { path })),
        Err(ReadFailure::Unreadable(reason)) => {
            return Err(refuse(SignatureProblem::Unreadable { path, reason }))
        }
        Err(ReadFailure::Malformed(reason)) => {
            return Err(refuse(SignatureProblem::Malformed { path, reason }))
        }
    };
    let key_id = file.key_id.to_ascii_lowercase();
    let Some(key) = settings.trusted.iter().find(|key| key.id() == key_id) else {
        return Err(refuse(SignatureProblem::UntrustedKey {
            key_id,
            trusted: settings.trusted.len(),
        }));
    };
    let manifest_digest = sha256(manifest_file.text.as_bytes());
    let message = signed_message(&component_digest, &manifest_digest);
    let signature = file.signature_bytes().map_err(|reason| {
        refuse(SignatureProblem::Malformed {
            path: path.clone(),
            reason,
        })
    })?;
    if !key.verifies(&message, &signature) {
        let component_changed = !file
            .component_sha256
            .eq_ignore_ascii_case(&hex(&component_digest));
        let manifest_changed = !file
            .manifest_sha256
            .eq_ignore_ascii_case(&hex(&manifest_digest));
        let tampered = match (component_changed, manifest_changed) {
            (true, true) => Tampered::ComponentAndManifest,
            (true, false) => Tampered::Component,
            (false, true) => Tampered::Manifest,
            (false, false) => Tampered::Signature,
        };
        return Err(refuse(SignatureProblem::Mismatch { key_id, tampered }));
    }
    tracing::debug!(plugin = %name, key = %key_id, "signature verified");
    Ok(Some(VerifiedSignature {
        plugin: name.clone(),
        key_id,
        path,
        component_sha256: hex(&component_digest),
    }))
}

/// The manifest's `sha256` pin, when it has one, against the component's digest.
fn check_pin(manifest: &Manifest, component_digest: &[u8; 32]) -> Result<()> {
    let Some(expected) = manifest.component().and_then(|c| c.sha256.as_ref()) else {
        return Ok(());
    };
    let actual = hex(component_digest);
    if expected.eq_ignore_ascii_case(&actual) {
        return Ok(());
    }
    Err(Error::DigestMismatch {
        plugin: manifest.name.clone(),
        expected: expected.to_ascii_lowercase(),
        actual,
    })
}

/// Reads the plugin at `path` as a host with the default settings would (the same files, caps
/// and folder confinement), on a blocking thread.
async fn read_default(path: &Path) -> Result<Source> {
    let path = path.to_owned();
    let origin = path.display().to_string();
    tokio::task::spawn_blocking(move || {
        read_source(&path, &ReadRules::default(), WithoutManifest::Refuse)
    })
    .await
    .map_err(|e| Error::host_caused(&origin, "reading the plugin failed", e))?
}

/// Signs the plugin at `path` (its folder, its manifest, or its component with the manifest
/// beside it, as [`PluginHost::load`](crate::PluginHost::load) takes) with `key`: writes the
/// signature file beside the manifest, replacing any, and returns its path. The manifest's
/// `sha256` pin, when it has one, must match the component. Nothing is compiled.
pub async fn sign_plugin(path: impl AsRef<Path>, key: &PrivateKey) -> Result<PathBuf> {
    let source = read_default(path.as_ref()).await?;
    let name = source.manifest.name.clone();
    let Some(manifest_file) = &source.manifest_file else {
        return Err(Error::host(
            &name,
            "a plugin read from a path has a manifest file",
        ));
    };
    let component_digest = sha256(&source.bytes);
    check_pin(&source.manifest, &component_digest)?;
    let manifest_digest = sha256(manifest_file.text.as_bytes());
    let signature = key.sign(&signed_message(&component_digest, &manifest_digest));
    let file = SignatureFile::new(
        key.public_key().id(),
        &component_digest,
        &manifest_digest,
        &signature,
    );
    let path = signature_path(&manifest_file.path);
    let partial = path.with_extension(format!("{SIGNATURE_EXTENSION}.partial"));
    let io = |error| Error::io(&name, &path, error);
    tokio::fs::write(&partial, file.to_text())
        .await
        .map_err(io)?;
    tokio::fs::rename(&partial, &path).await.map_err(io)?;
    Ok(path)
}

/// Verifies the plugin at `path` (as [`PluginHost::load`](crate::PluginHost::load) takes it)
/// as a host with [`SignaturePolicy::Require`] and `trusted` keys would: its `sha256` pin and
/// its signature. Nothing is compiled.
pub async fn verify_plugin(
    path: impl AsRef<Path>,
    trusted: &[PublicKey],
) -> Result<VerifiedSignature> {
    let source = read_default(path.as_ref()).await?;
    let settings = SignatureSettings {
        policy: SignaturePolicy::Require,
        trusted: trusted.to_vec(),
    };
    let name = source.manifest.name.clone();
    let verified = tokio::task::spawn_blocking(move || check(&settings, &source))
        .await
        .map_err(|e| Error::host_caused(&name, "the signature check failed", e))??;
    verified.ok_or_else(|| Error::host(&name, "a required signature was not checked"))
}
