//! The plugin manifest, `plugin.toml`, kept beside the component. A folder with MockForge's
//! own `plugin.yaml` instead is read through [`Manifest::parse_yaml`]; a `.wasm` file with no
//! manifest at all runs under [`Manifest::bare`].
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
//! `[limits]` or `[instances]`. A parsed [`Manifest`] says which of the two a plugin is:
//! its [`backend`](Manifest::backend) is either a [`ComponentManifest`] or the
//! [`RemoteSettings`].
//!
//! Unknown keys and bad values are refused with a message that names the key.

mod bare;
mod component;
pub(crate) mod remote;
mod yaml;

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::types::PluginKind;

pub(crate) use component::is_sha256_hex;
pub use component::{
    Capabilities, ComponentManifest, DirRequest, InstanceStrategy, Instances, RequestedLimits,
    DEFAULT_COMPONENT_FILE,
};
pub use remote::RemoteSettings;
pub use yaml::{UnmappedKey, YamlManifest, YAML_MANIFEST_FILE};

/// The manifest's file name.
pub const MANIFEST_FILE: &str = "plugin.toml";

/// A parsed and validated plugin manifest: what every plugin has (name, version, kind,
/// description), and what runs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ManifestText", into = "ManifestText")]
pub struct Manifest {
    /// The plugin's name: lower-case ASCII letters, digits and dashes.
    pub name: String,
    /// The plugin's version (`MAJOR.MINOR.PATCH`, optionally with a pre-release or build suffix).
    pub version: String,
    /// What the plugin does; checked against the component's exports (or the remote's
    /// description) at load time.
    pub kind: PluginKind,
    /// A one-line description.
    pub description: String,
    /// A WebAssembly component or a remote service.
    pub backend: ManifestBackend,
}

/// What runs a plugin, as its manifest says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManifestBackend {
    /// A WebAssembly component (or a legacy core module) beside the manifest.
    Component(ComponentManifest),
    /// A service called over HTTP: the `[remote]` table.
    Remote(RemoteSettings),
}

/// The manifest as written: one table whose `[remote]` key says which backend it is.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ManifestText {
    name: String,
    version: String,
    kind: PluginKind,
    #[serde(default)]
    description: String,
    #[serde(default = "component::default_component")]
    component: std::path::PathBuf,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sha256: Option<String>,
    #[serde(
        default,
        deserialize_with = "component::config_values",
        skip_serializing_if = "std::collections::BTreeMap::is_empty"
    )]
    config: std::collections::BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "is_default")]
    capabilities: Capabilities,
    #[serde(default, skip_serializing_if = "is_default")]
    limits: RequestedLimits,
    #[serde(default, skip_serializing_if = "is_default")]
    instances: Instances,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    remote: Option<RemoteSettings>,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

impl TryFrom<ManifestText> for Manifest {
    type Error = Error;

    fn try_from(text: ManifestText) -> Result<Self> {
        let component = ComponentManifest {
            component: text.component,
            sha256: text.sha256,
            config: text.config,
            capabilities: text.capabilities,
            limits: text.limits,
            instances: text.instances,
        };
        let backend = match text.remote {
            None => ManifestBackend::Component(component),
            Some(remote) => {
                if let Some(key) = component.keys_set().first() {
                    return Err(Error::manifest(
                        &cut(&text.name, QUOTE_BYTES),
                        format!(
                            "key `{key}` does not apply to a remote plugin (it has a `[remote]` \
                             table)"
                        ),
                    ));
                }
                ManifestBackend::Remote(remote)
            }
        };
        let manifest = Self {
            name: text.name,
            version: text.version,
            kind: text.kind,
            description: text.description,
            backend,
        };
        manifest.validate()?;
        Ok(manifest)
    }
}

impl From<Manifest> for ManifestText {
    fn from(manifest: Manifest) -> Self {
        let (component, remote) = match manifest.backend {
            ManifestBackend::Component(component) => (component, None),
            ManifestBackend::Remote(remote) => (ComponentManifest::default(), Some(remote)),
        };
        Self {
            name: manifest.name,
            version: manifest.version,
            kind: manifest.kind,
            description: manifest.description,
            component: component.component,
            sha256: component.sha256,
            config: component.config,
            capabilities: component.capabilities,
            limits: component.limits,
            instances: component.instances,
            remote,
        }
    }
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
        let written: ManifestText = toml::from_str(text)
            .map_err(|e| Error::manifest(&cut(origin, ORIGIN_BYTES), toml_error(text, &e)))?;
        Self::try_from(written)
    }

    /// Reads and parses `path`: a regular file of at most
    /// [`MAX_MANIFEST_BYTES`](crate::MAX_MANIFEST_BYTES), TOML unless its extension is
    /// `.yaml` or `.yml` (MockForge's `plugin.yaml`, read by [`Manifest::parse_yaml`], whose
    /// unmapped keys are logged as warnings and whose component stays `plugin.wasm`;
    /// [`find_manifest`](crate::find_manifest) also finds the `.wasm` file and keeps the
    /// unmapped keys).
    pub fn from_file(path: &Path) -> Result<Self> {
        let origin = path.display().to_string();
        let text =
            crate::files::read_file(path, crate::files::MAX_MANIFEST_BYTES, "MAX_MANIFEST_BYTES")
                .and_then(|bytes| String::from_utf8(bytes).map_err(std::io::Error::other))
                .map_err(|error| Error::io(&origin, path, error))?;
        if path
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml")
        {
            let read = Self::parse_yaml(&text, &origin)?;
            for key in &read.unmapped {
                tracing::warn!(file = %origin, "plugin.yaml key not used by this host: {key}");
            }
            return Ok(read.manifest);
        }
        Self::parse(&text, &origin)
    }

    /// The manifest of a WebAssembly plugin with the given name and kind and every other
    /// value at its default.
    pub fn new(name: impl Into<String>, kind: PluginKind) -> Self {
        Self {
            name: name.into(),
            version: "0.0.0".into(),
            kind,
            description: String::new(),
            backend: ManifestBackend::Component(ComponentManifest::default()),
        }
    }

    /// A manifest of a remote plugin served at `endpoint`, every other value at its default.
    pub fn remote(name: impl Into<String>, kind: PluginKind, endpoint: impl Into<String>) -> Self {
        Self {
            backend: ManifestBackend::Remote(RemoteSettings::new(endpoint)),
            ..Self::new(name, kind)
        }
    }

    /// The component part, for a WebAssembly plugin.
    pub fn component(&self) -> Option<&ComponentManifest> {
        match &self.backend {
            ManifestBackend::Component(component) => Some(component),
            ManifestBackend::Remote(_) => None,
        }
    }

    /// The component part to change, for a WebAssembly plugin.
    pub fn component_mut(&mut self) -> Option<&mut ComponentManifest> {
        match &mut self.backend {
            ManifestBackend::Component(component) => Some(component),
            ManifestBackend::Remote(_) => None,
        }
    }

    /// The `[remote]` table, for a remote plugin.
    pub fn remote_settings(&self) -> Option<&RemoteSettings> {
        match &self.backend {
            ManifestBackend::Component(_) => None,
            ManifestBackend::Remote(remote) => Some(remote),
        }
    }

    /// The `[remote]` table to change, for a remote plugin.
    pub fn remote_settings_mut(&mut self) -> Option<&mut RemoteSettings> {
        match &mut self.backend {
            ManifestBackend::Component(_) => None,
            ManifestBackend::Remote(remote) => Some(remote),
        }
    }

    /// Checks values that the TOML types alone do not constrain.
    pub fn validate(&self) -> Result<()> {
        let plugin = cut(&self.name, QUOTE_BYTES);
        let bad = |message: String| Err(Error::manifest(&plugin, message));
        if !is_plugin_name(&self.name) {
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
        match &self.backend {
            ManifestBackend::Component(component) => component.validate().or_else(bad),
            ManifestBackend::Remote(remote) => remote.validate().or_else(bad),
        }
    }
}

/// Whether `name` is a plugin name: 1-64 lower-case ASCII letters, digits and dashes, not
/// starting with a dash.
pub(crate) fn is_plugin_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
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
    use std::path::PathBuf;

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
        let parsed = Manifest::parse(FULL, "test").unwrap();
        assert_eq!(parsed.name, "auth-jwt");
        assert_eq!(parsed.kind, PluginKind::Auth);
        let m = parsed.component().unwrap();
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
        let parsed = Manifest::parse(
            "name = \"p\"\nversion = \"0.1.0\"\nkind = \"response\"",
            "t",
        )
        .unwrap();
        let m = parsed.component().unwrap();
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
        let remote = m.remote_settings().unwrap();
        assert_eq!(remote.timeout_ms, Some(200));
        assert_eq!(remote.on_unavailable, remote::OnUnavailable::Allow);
        assert_eq!(remote.http, remote::HttpVersion::Http2);
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
        assert_eq!(m.component().unwrap().sha256.as_deref(), Some(pin));
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
    fn a_manifest_written_out_reads_back_the_same() {
        for text in [
            FULL.to_owned(),
            format!("{REMOTE}endpoint = \"http://x\"\n"),
        ] {
            let parsed = Manifest::parse(&text, "t").unwrap();
            let written = toml::to_string(&parsed).unwrap();
            assert_eq!(Manifest::parse(&written, "t").unwrap(), parsed, "{written}");
        }
    }

    #[test]
    fn missing_required_keys_are_named() {
        assert!(error_of("name = \"p\"\nkind = \"auth\"").contains("version"));
    }
}
