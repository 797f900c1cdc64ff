//! The signature file, `<manifest stem>.sig` beside the manifest (`plugin.sig` beside
//! `plugin.toml`): TOML naming the format, the signing key's id, the two digests that were
//! signed (so that a refusal can say which part changed) and the Ed25519 signature.
//!
//! ```toml
//! format = "mockforge-plugin-signature-v1"
//! key-id = "3f2a9c0d1e2b4a5f"
//! component-sha256 = "<64 hex digits>"
//! manifest-sha256 = "<64 hex digits>"
//! signature = "<base64 of 64 bytes>"
//! ```
//!
//! The digests in the file are hints only: verification recomputes both from the bytes being
//! loaded and checks the signature over those.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use super::digest::hex;
use crate::manifest::is_sha256_hex;

/// The signature file's `format`, which is also the signed message's domain.
pub const SIGNATURE_FORMAT: &str = "mockforge-plugin-signature-v1";

/// The signature file's extension: it replaces the manifest's (`plugin.toml` → `plugin.sig`).
pub const SIGNATURE_EXTENSION: &str = "sig";

/// The largest signature file read (a real one is about 300 bytes).
pub const MAX_SIGNATURE_FILE_BYTES: u64 = 4096;

/// A parsed signature file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct SignatureFile {
    pub format: String,
    pub key_id: String,
    pub component_sha256: String,
    pub manifest_sha256: String,
    pub signature: String,
}

/// Why a signature file could not be used.
pub(crate) enum ReadFailure {
    /// There is no file.
    Missing,
    /// It cannot be read, is not a regular file, or is too large.
    Unreadable(String),
    /// It is not a signature file of this format.
    Malformed(String),
}

impl SignatureFile {
    /// A signature file for the given digests and signature.
    pub fn new(
        key_id: &str,
        component: &[u8; 32],
        manifest: &[u8; 32],
        signature: &[u8; 64],
    ) -> Self {
        Self {
            format: SIGNATURE_FORMAT.to_owned(),
            key_id: key_id.to_owned(),
            component_sha256: hex(component),
            manifest_sha256: hex(manifest),
            signature: STANDARD.encode(signature),
        }
    }

    /// The file's text.
    pub fn to_text(&self) -> String {
        let body = toml::to_string(self).expect("a struct of strings serializes");
        format!(
            "# MockForge plugin signature: Ed25519 over the component and the manifest.\n{body}"
        )
    }

    /// Reads and parses the signature file at `path`: a regular file of at most
    /// [`MAX_SIGNATURE_FILE_BYTES`]. Errors never quote the file's contents.
    pub fn read(path: &Path) -> Result<Self, ReadFailure> {
        let file = match std::fs::File::open(path) {
            Ok(file) => file,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Err(ReadFailure::Missing)
            }
            Err(err) => return Err(ReadFailure::Unreadable(err.to_string())),
        };
        let metadata = file
            .metadata()
            .map_err(|e| ReadFailure::Unreadable(e.to_string()))?;
        if !metadata.is_file() {
            return Err(ReadFailure::Unreadable("not a regular file".into()));
        }
        let mut text = String::new();
        file.take(MAX_SIGNATURE_FILE_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(|e| ReadFailure::Unreadable(e.to_string()))?;
        if text.len() as u64 > MAX_SIGNATURE_FILE_BYTES {
            return Err(ReadFailure::Unreadable(format!(
                "larger than {MAX_SIGNATURE_FILE_BYTES} bytes"
            )));
        }
        Self::parse(&text).map_err(ReadFailure::Malformed)
    }

    /// Parses a signature file's text.
    pub fn parse(text: &str) -> Result<Self, String> {
        // The TOML error would quote the offending line: only its position is kept.
        let file: SignatureFile = toml::from_str(text).map_err(|e| match e.span() {
            Some(span) => format!(
                "not valid TOML of the signature format (at byte {})",
                span.start
            ),
            None => "not valid TOML of the signature format".to_owned(),
        })?;
        if file.format != SIGNATURE_FORMAT {
            return Err(format!(
                "`format` is not `{SIGNATURE_FORMAT}` (a signature of another format or version)"
            ));
        }
        if !is_sha256_hex(&file.component_sha256) || !is_sha256_hex(&file.manifest_sha256) {
            return Err("a `*-sha256` value is not 64 hex digits".into());
        }
        if file.key_id.len() != 16 || !file.key_id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err("`key-id` is not 16 hex digits".into());
        }
        file.signature_bytes()?;
        Ok(file)
    }

    /// The 64 signature bytes.
    pub fn signature_bytes(&self) -> Result<[u8; 64], String> {
        let bytes = STANDARD
            .decode(self.signature.trim())
            .map_err(|_| "`signature` is not valid base64".to_owned())?;
        <[u8; 64]>::try_from(bytes.as_slice()).map_err(|_| {
            format!(
                "`signature` is {} bytes; an Ed25519 signature has 64",
                bytes.len()
            )
        })
    }
}

/// Where the signature of the plugin whose manifest is `manifest_path` lives: the manifest's
/// path with the extension `sig`.
pub fn signature_path(manifest_path: &Path) -> PathBuf {
    manifest_path.with_extension(SIGNATURE_EXTENSION)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SignatureFile {
        SignatureFile::new("0123456789abcdef", &[1; 32], &[2; 32], &[3; 64])
    }

    #[test]
    fn the_text_parses_back() {
        let file = sample();
        assert_eq!(SignatureFile::parse(&file.to_text()).unwrap(), file);
    }

    #[test]
    fn malformed_files_are_refused_without_quoting_them() {
        let secretish = "format = \"x\"\nkey-id = \"NOT-SHOWN-ANYWHERE\"";
        let err = SignatureFile::parse(secretish).unwrap_err();
        assert!(!err.contains("NOT-SHOWN"), "{err}");
        let mut other = sample();
        other.format = "mockforge-plugin-signature-v2".into();
        assert!(SignatureFile::parse(&other.to_text())
            .unwrap_err()
            .contains("format"));
        let mut short = sample();
        short.signature = STANDARD.encode([0u8; 63]);
        assert!(SignatureFile::parse(&short.to_text())
            .unwrap_err()
            .contains("63 bytes"));
        let mut bad_id = sample();
        bad_id.key_id = "xyz".into();
        assert!(SignatureFile::parse(&bad_id.to_text())
            .unwrap_err()
            .contains("key-id"));
        let extra = format!("{}extra = 1\n", sample().to_text());
        assert!(SignatureFile::parse(&extra).is_err());
    }

    #[test]
    fn the_signature_sits_beside_the_manifest() {
        assert_eq!(
            signature_path(Path::new("/p/auth/plugin.toml")),
            Path::new("/p/auth/plugin.sig")
        );
        assert_eq!(signature_path(Path::new("x.toml")), Path::new("x.sig"));
    }
}
