//! The plugin manifest, `plugin.toml`, kept beside the component.
//!
//! ```toml
//! name = "auth-jwt"                 # required: lower-case letters, digits and dashes
//! version = "0.1.0"                 # required: semantic version
//! kind = "auth"                     # "auth", "response" or "both"
//! description = "HS256 bearer JWT"  # optional
//! component = "plugin.wasm"         # optional (the default), relative to the manifest
//! sha256 = "9f86d0...0f00a08"        # optional: the component's SHA-256 (64 hex digits)
//!
//! [config]                          # strings, integers, floats or booleans
//! secret = "change-me"
//!
//! [capabilities]                    # nothing is granted unless asked for here
//! env = ["TZ"]                      #   and allowed by the embedder's policy
//! dirs = [{ host = "data", guest = "/data" }]   # read-only
//!
//! [limits]                          # each capped by the embedder
//! memory-mib = 16
//! timeout-ms = 100
//! max-instances = 32
//!
//! [instances]
//! strategy = "fresh"                # or "pooled"
//! pool-size = 4
//! ```
//!
//! A remote plugin, served over HTTP, has a `[remote]` table (see [`RemoteSettings`]) and
//! nothing about components: no `component`, `sha256`, `[config]`, `[capabilities]`,
//! `[limits]` or `[instances]`.
//!
//! Unknown keys and bad values are refused with a message that names the key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::remote::RemoteSettings;
use crate::types::PluginKind;

/// The component file name used when a manifest names none.
pub const DEFAULT_COMPONENT_FILE: &str = "plugin.wasm";

/// The manifest's file name.
pub const MANIFEST_FILE: &str = "plugin.toml";

/// A parsed and validated plugin manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Manifest {
    /// The plugin's name: lower-case ASCII letters, digits and dashes.
    pub name: String,
    /// The plugin's version (`MAJOR.MINOR.PATCH`, optionally with a pre-release or build suffix).
    pub version: String,
    /// What the plugin does; checked against the component's exports at load time.
    pub kind: PluginKind,
    /// A one-line description.
    #[serde(default)]
    pub description: String,
    /// The component file, relative to the manifest.
    #[serde(default = "default_component")]
    pub component: PathBuf,
    /// The SHA-256 the component's bytes must hash to, as 64 hex digits (either case); a
    /// component that does not is refused with [`Error::DigestMismatch`]. Checked whatever
    /// the embedder's signature policy (see the [`signing`](crate::SignaturePolicy) docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Configuration values the plugin reads through the `config` import, as text.
    #[serde(default, deserialize_with = "config_values")]
    pub config: BTreeMap<String, String>,
    /// Capabilities the plugin asks for.
    #[serde(default)]
    pub capabilities: Capabilities,
    /// Limits the plugin asks for; the embedder caps each.
    #[serde(default)]
    pub limits: RequestedLimits,
    /// How instances are created.
    #[serde(default)]
    pub instances: Instances,
    /// Where a remote plugin is served; `None` for a WebAssembly plugin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote: Option<RemoteSettings>,
}

fn default_component() -> PathBuf {
    PathBuf::from(DEFAULT_COMPONENT_FILE)
}

/// Capabilities a manifest asks for. Nothing is granted unless asked for here and allowed by
/// the embedder's [`CapabilityPolicy`](crate::CapabilityPolicy).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Capabilities {
    /// Environment variable names the plugin reads.
    #[serde(default)]
    pub env: Vec<String>,
    /// Directories the plugin reads (never writes).
    #[serde(default)]
    pub dirs: Vec<DirRequest>,
}

/// A read-only directory a manifest asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DirRequest {
    /// The directory on the host; a relative path is relative to the manifest.
    pub host: PathBuf,
    /// Where the plugin sees it (an absolute guest path such as `/data`).
    pub guest: String,
}

/// Limits a manifest asks for. Absent values take the embedder's defaults; every value is
/// capped by the embedder's maximum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RequestedLimits {
    /// Linear memory, in MiB, summed over the instance's memories.
    pub memory_mib: Option<u64>,
    /// Wall-clock time per call, in milliseconds.
    pub timeout_ms: Option<u64>,
    /// Instances of this plugin alive at once (concurrent calls beyond it wait).
    pub max_instances: Option<u32>,
}

/// How a plugin's instances are created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Instances {
    /// Fresh per call or a pool of warm instances. Unset, the host chooses: fresh, except
    /// for Go-built legacy modules, whose runtime start-up makes warm instances the default.
    #[serde(default)]
    pub strategy: Option<InstanceStrategy>,
    /// Warm instances kept between calls when pooled.
    pub pool_size: Option<u32>,
}

/// How a plugin's instances are created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InstanceStrategy {
    /// A fresh instance for every call: no state survives a call.
    #[default]
    Fresh,
    /// Instances are kept warm and reused, for guests whose start-up is costly. State a
    /// plugin keeps in memory survives between calls; an instance that fails is discarded.
    Pooled,
}

fn config_values<'de, D>(deserializer: D) -> std::result::Result<BTreeMap<String, String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let raw = BTreeMap::<String, toml::Value>::deserialize(deserializer)?;
    raw.into_iter()
        .map(|(key, value)| {
            let text = match value {
                toml::Value::String(text) => text,
                toml::Value::Integer(n) => n.to_string(),
                toml::Value::Float(x) => x.to_string(),
                toml::Value::Boolean(b) => b.to_string(),
                other => {
                    return Err(serde::de::Error::custom(format!(
                        "config key `{key}` is a {}; values must be strings, integers, floats or booleans",
                        other.type_str()
                    )))
                }
            };
            Ok((key, text))
        })
        .collect()
}

/// The most bytes of manifest text an error quotes: the offending value, or the offending
/// line on either side of the error's position (a 10 MB line is not echoed).
const QUOTE_BYTES: usize = 80;
/// The most bytes of the origin (a path) an error names.
const ORIGIN_BYTES: usize = 1024;
/// The most bytes of a TOML parser's message kept (it may quote a value).
const MESSAGE_BYTES: usize = 512;

/// `text` cut to at most `max` bytes at a character boundary, with `…` when cut.
fn cut(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// A TOML error as the line and column, the parser's message (cut), and a bounded snippet of
/// the offending line around the error's position.
fn toml_error(text: &str, err: &toml::de::Error) -> String {
    let message = cut(err.message().trim_end(), MESSAGE_BYTES);
    let Some(span) = err.span() else {
        return message;
    };
    let at = span.start.min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line_number = text[..line_start].matches('\n').count() + 1;
    let column = text[line_start..at].chars().count() + 1;
    let mut from = at.saturating_sub(QUOTE_BYTES / 2).max(line_start);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (at + QUOTE_BYTES / 2).min(line_end);
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let snippet = format!(
        "{}{}{}",
        if from > line_start { "…" } else { "" },
        text[from..to].trim_end_matches('\r'),
        if to < line_end { "…" } else { "" }
    );
    format!("TOML error at line {line_number}, column {column}: {message}; near `{snippet}`")
}

impl Manifest {
    /// Parses and validates manifest text. `origin` names the plugin in errors (its path, say)
    /// until the manifest's own name is known.
    pub fn parse(text: &str, origin: &str) -> Result<Self> {
        let manifest: Manifest = toml::from_str(text)
            .map_err(|e| Error::manifest(&cut(origin, ORIGIN_BYTES), toml_error(text, &e)))?;
        manifest.validate()?;
        Ok(manifest)
    }

    /// Reads and parses `path`: a regular file of at most
    /// [`MAX_MANIFEST_BYTES`](crate::MAX_MANIFEST_BYTES).
    pub fn from_file(path: &Path) -> Result<Self> {
        let origin = path.display().to_string();
        let text =
            crate::files::read_file(path, crate::files::MAX_MANIFEST_BYTES, "MAX_MANIFEST_BYTES")
                .and_then(|bytes| String::from_utf8(bytes).map_err(std::io::Error::other))
                .map_err(|error| Error::Io {
                    plugin: origin.clone(),
                    path: path.to_owned(),
                    error,
                })?;
        Self::parse(&text, &origin)
    }

    /// A manifest with the given name and kind and every other value at its default.
    pub fn new(name: impl Into<String>, kind: PluginKind) -> Self {
        Self {
            name: name.into(),
            version: "0.0.0".into(),
            kind,
            description: String::new(),
            component: default_component(),
            sha256: None,
            config: BTreeMap::new(),
            capabilities: Capabilities::default(),
            limits: RequestedLimits::default(),
            instances: Instances::default(),
            remote: None,
        }
    }

    /// A manifest of a remote plugin served at `endpoint`, every other value at its default.
    pub fn remote(name: impl Into<String>, kind: PluginKind, endpoint: impl Into<String>) -> Self {
        Self {
            remote: Some(RemoteSettings::new(endpoint)),
            ..Self::new(name, kind)
        }
    }

    /// Checks values that the TOML types alone do not constrain.
    pub fn validate(&self) -> Result<()> {
        let plugin = cut(&self.name, QUOTE_BYTES);
        let bad = |message: String| Err(Error::manifest(&plugin, message));
        let name_ok = !self.name.is_empty()
            && self.name.len() <= 64
            && self
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !self.name.starts_with('-');
        if !name_ok {
            return bad(format!(
                "key `name`: `{plugin}` must be 1-64 lower-case letters, digits and dashes"
            ));
        }
        if !is_semver(&self.version) {
            return bad(format!(
                "key `version`: `{}` is not a semantic version (MAJOR.MINOR.PATCH)",
                cut(&self.version, QUOTE_BYTES)
            ));
        }
        if self.limits.memory_mib == Some(0) {
            return bad("key `limits.memory-mib` must be at least 1".into());
        }
        if self.limits.timeout_ms == Some(0) {
            return bad("key `limits.timeout-ms` must be at least 1".into());
        }
        if self.limits.max_instances == Some(0) {
            return bad("key `limits.max-instances` must be at least 1".into());
        }
        if self.instances.pool_size == Some(0) {
            return bad("key `instances.pool-size` must be at least 1".into());
        }
        if let Some(pin) = &self.sha256 {
            if !crate::signing::is_sha256_hex(pin) {
                return bad("key `sha256` must be 64 hex digits (the component's SHA-256)".into());
            }
        }
        if let Some(remote) = &self.remote {
            remote.validate().or_else(bad)?;
            let component_only = [
                ("component", self.component != default_component()),
                ("sha256", self.sha256.is_some()),
                ("config", !self.config.is_empty()),
                ("capabilities", self.capabilities != Capabilities::default()),
                ("limits", self.limits != RequestedLimits::default()),
                ("instances", self.instances != Instances::default()),
            ];
            if let Some((key, _)) = component_only.iter().find(|(_, set)| *set) {
                return bad(format!(
                    "key `{key}` does not apply to a remote plugin (it has a `[remote]` table)"
                ));
            }
        }
        for key in &self.capabilities.env {
            if key.is_empty() || key.contains('=') || key.contains('\0') {
                return bad(format!(
                    "key `capabilities.env`: `{key}` is not a variable name"
                ));
            }
        }
        let mut guests = std::collections::BTreeSet::new();
        for dir in &self.capabilities.dirs {
            if !dir.guest.starts_with('/') {
                return bad(format!(
                    "key `capabilities.dirs`: guest path `{}` must be absolute",
                    dir.guest
                ));
            }
            // `/data` and `/data/` are one guest path.
            let trimmed = dir.guest.trim_end_matches('/');
            if !guests.insert(if trimmed.is_empty() { "/" } else { trimmed }) {
                return bad(format!(
                    "key `capabilities.dirs`: guest path `{}` is given twice",
                    dir.guest
                ));
            }
        }
        Ok(())
    }
}

fn is_semver(version: &str) -> bool {
    let core = version.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r#"
name = "auth-jwt"
version = "1.2.3"
kind = "auth"
description = "JWT"
component = "auth.wasm"

[config]
secret = "s3cret"
leeway = 5
strict = true

[capabilities]
env = ["TZ"]
dirs = [{ host = "data", guest = "/data" }]

[limits]
memory-mib = 16
timeout-ms = 100
max-instances = 4

[instances]
strategy = "pooled"
pool-size = 2
"#;

    #[test]
    fn parses_every_key() {
        let m = Manifest::parse(FULL, "test").unwrap();
        assert_eq!(m.name, "auth-jwt");
        assert_eq!(m.kind, PluginKind::Auth);
        assert_eq!(m.component, PathBuf::from("auth.wasm"));
        assert_eq!(m.config["leeway"], "5");
        assert_eq!(m.config["strict"], "true");
        assert_eq!(m.capabilities.dirs[0].guest, "/data");
        assert_eq!(m.limits.memory_mib, Some(16));
        assert_eq!(m.instances.strategy, Some(InstanceStrategy::Pooled));
        assert_eq!(m.instances.pool_size, Some(2));
    }

    #[test]
    fn defaults_are_minimal() {
        let m = Manifest::parse(
            "name = \"p\"\nversion = \"0.1.0\"\nkind = \"response\"",
            "t",
        )
        .unwrap();
        assert_eq!(m.component, PathBuf::from(DEFAULT_COMPONENT_FILE));
        assert!(m.config.is_empty());
        assert_eq!(m.capabilities, Capabilities::default());
        assert_eq!(m.instances.strategy, None);
    }

    fn error_of(text: &str) -> String {
        Manifest::parse(text, "origin").unwrap_err().to_string()
    }

    #[test]
    fn unknown_keys_are_named() {
        let msg = error_of("name = \"p\"\nversion = \"0.1.0\"\nkind = \"auth\"\ncolour = \"red\"");
        assert!(msg.contains("colour"), "{msg}");
        let msg =
            error_of("name = \"p\"\nversion = \"0.1.0\"\nkind = \"auth\"\n[limits]\nmemory = 3");
        assert!(msg.contains("memory"), "{msg}");
    }

    #[test]
    fn bad_values_are_named() {
        let base = "name = \"p\"\nversion = \"0.1.0\"\n";
        assert!(error_of(&format!("{base}kind = \"proxy\"")).contains("proxy"));
        assert!(
            error_of("name = \"Bad Name\"\nversion = \"0.1.0\"\nkind = \"auth\"")
                .contains("`name`")
        );
        assert!(error_of("name = \"p\"\nversion = \"1\"\nkind = \"auth\"").contains("`version`"));
        assert!(
            error_of(&format!("{base}kind = \"auth\"\n[limits]\ntimeout-ms = 0"))
                .contains("timeout-ms")
        );
        assert!(
            error_of(&format!("{base}kind = \"auth\"\n[limits]\nmemory-mib = -1"))
                .contains("memory-mib")
        );
        let msg = error_of(&format!(
            "{base}kind = \"auth\"\n[config]\nnested = {{ a = 1 }}"
        ));
        assert!(msg.contains("config key `nested`"), "{msg}");
        assert!(error_of(&format!(
            "{base}kind = \"auth\"\n[[capabilities.dirs]]\nhost = \"d\"\nguest = \"rel\""
        ))
        .contains("absolute"));
    }

    #[test]
    fn an_error_quotes_at_most_a_snippet_of_a_huge_line() {
        let huge = "x".repeat(10 << 20);
        let base = "name = \"p\"\nversion = \"0.1.0\"\nkind = \"auth\"\n";
        let cases = [
            // A syntax error at the end of a 10 MB line.
            format!("{base}description = \"{huge}"),
            format!("{base}description = \"{huge}\" junk"),
            // A syntax error at the start of one.
            format!("{base}= \"{huge}\""),
            // A 10 MB value of the wrong type, which the parser's message quotes.
            format!("{base}[limits]\nmemory-mib = \"{huge}\""),
            // A 10 MB unknown key.
            format!("{base}{huge} = 1"),
            // A 10 MB name or version, which validation quotes.
            format!("name = \"{huge}\"\nversion = \"0.1.0\"\nkind = \"auth\""),
            format!("name = \"p\"\nversion = \"{huge}\"\nkind = \"auth\""),
        ];
        for (i, text) in cases.iter().enumerate() {
            let msg = error_of(text);
            assert!(
                msg.len() < 2048,
                "case {i}: {} bytes: {}",
                msg.len(),
                &msg[..300]
            );
            assert!(
                msg.contains("xxxx"),
                "case {i} still quotes a snippet: {msg}"
            );
        }
        let msg = error_of(&format!("{base}description = \"{huge}"));
        assert!(msg.contains("line 4, column"), "{msg}");
        let origin = Manifest::parse("=", &huge).unwrap_err();
        assert!(origin.to_string().len() < 2048);
    }

    #[test]
    fn a_toml_error_names_line_and_column_and_quotes_the_line() {
        let msg = error_of(
            "name = \"p\"\nversion = \"0.1.0\"\nkind = \"auth\"\n[limits]\nmemory-mib = -1",
        );
        assert!(msg.contains("line 5, column 14"), "{msg}");
        assert!(msg.contains("near `memory-mib = -1`"), "{msg}");
    }

    const REMOTE: &str = "name = \"introspect\"\nversion = \"0.1.0\"\nkind = \"auth\"\n[remote]\n";

    #[test]
    fn parses_a_remote_plugin() {
        let m = Manifest::parse(
            &format!("{REMOTE}endpoint = \"http://127.0.0.1:8080/\"\ntimeout-ms = 200\nretries = 1\non-unavailable = \"allow\"\nhttp = \"http2\"\nsecret = \"s\""),
            "t",
        )
        .unwrap();
        let remote = m.remote.unwrap();
        assert_eq!(remote.timeout_ms, Some(200));
        assert_eq!(remote.on_unavailable, crate::remote::OnUnavailable::Allow);
        assert_eq!(remote.http, crate::remote::HttpVersion::Http2);
        assert!(
            !format!("{remote:?}").contains("\"s\""),
            "the secret is redacted"
        );
    }

    #[test]
    fn remote_keys_are_checked() {
        let msg = error_of(&format!("{REMOTE}endpoint = \"http://x\"\ntimeout = 3"));
        assert!(msg.contains("timeout"), "{msg}");
        let msg = error_of(&format!("{REMOTE}timeout-ms = 3"));
        assert!(msg.contains("endpoint"), "{msg}");
        let msg = error_of(&format!("{REMOTE}endpoint = \"ftp://x\""));
        assert!(msg.contains("remote.endpoint"), "{msg}");
        let msg = error_of(&format!("{REMOTE}endpoint = \"http://x\"\nretries = 99"));
        assert!(msg.contains("remote.retries"), "{msg}");
        let msg = error_of(&format!(
            "{REMOTE}endpoint = \"http://x\"\non-unavailable = \"maybe\""
        ));
        assert!(msg.contains("maybe"), "{msg}");
        let msg = error_of(&format!(
            "{REMOTE}endpoint = \"http://x\"\n[limits]\ntimeout-ms = 5"
        ));
        assert!(msg.contains("`limits`"), "{msg}");
    }

    #[test]
    fn a_guest_path_given_twice_is_refused() {
        let base = "name = \"p\"\nversion = \"0.1.0\"\nkind = \"auth\"\n[capabilities]\n";
        let msg = error_of(&format!(
            "{base}dirs = [{{ host = \"a\", guest = \"/data\" }}, {{ host = \"b\", guest = \"/data/\" }}]"
        ));
        assert!(msg.contains("`/data/` is given twice"), "{msg}");
        assert!(Manifest::parse(
            &format!("{base}dirs = [{{ host = \"a\", guest = \"/a\" }}, {{ host = \"b\", guest = \"/b\" }}]"),
            "t"
        )
        .is_ok());
    }

    #[test]
    fn a_sha256_pin_is_64_hex_digits_and_not_for_remote_plugins() {
        let base = "name = \"p\"\nversion = \"0.1.0\"\nkind = \"auth\"\n";
        let pin = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
        let m = Manifest::parse(&format!("{base}sha256 = \"{pin}\""), "t").unwrap();
        assert_eq!(m.sha256.as_deref(), Some(pin));
        let msg = error_of(&format!("{base}sha256 = \"{}\"", &pin[1..]));
        assert!(msg.contains("key `sha256`"), "{msg}");
        let msg = error_of(&format!("{base}sha256 = \"{}x\"", &pin[1..]));
        assert!(msg.contains("key `sha256`"), "{msg}");
        let msg = error_of(&format!("{REMOTE}endpoint = \"http://x\"\n").replacen(
            "[remote]",
            &format!("sha256 = \"{pin}\"\n[remote]"),
            1,
        ));
        assert!(
            msg.contains("`sha256` does not apply to a remote plugin"),
            "{msg}"
        );
    }

    #[test]
    fn missing_required_keys_are_named() {
        assert!(error_of("name = \"p\"\nkind = \"auth\"").contains("version"));
    }
}
