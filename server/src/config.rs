//! The server's configuration file (TOML): where to listen, the plugins in chain order, the
//! route table. Unknown keys are refused, naming the key; every default is a documented
//! constant.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

/// The address the server listens on unless `listen` says otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// How long a request may take, plugins included, before it is answered 503.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client may take to send its request headers.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a graceful shutdown waits for requests in flight.
pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// How long file changes settle before a reload.
pub const DEFAULT_RELOAD_DEBOUNCE: Duration = Duration::from_millis(200);
/// The largest configuration file read.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;
/// The largest `body-file` read.
pub const MAX_BODY_FILE_BYTES: u64 = 16 << 20;

/// A whole configuration file.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ServerConfig {
    /// Where to listen (`host:port`); [`DEFAULT_LISTEN`] when absent.
    #[serde(default = "default_listen")]
    pub listen: String,
    /// Limits and timeouts of the HTTP side.
    #[serde(default)]
    pub http: HttpSettings,
    /// Host settings: what plugins may be granted, where compiled artifacts are cached.
    #[serde(default)]
    pub host: HostSettings,
    /// Watch the plugin folders and this file, and reload on change (default true).
    #[serde(default = "yes")]
    pub watch: bool,
    /// The plugins, in chain order (`[[plugin]]`).
    #[serde(default, rename = "plugin")]
    pub plugins: Vec<PluginEntry>,
    /// The route table (`[[route]]`), matched in the order given for equal templates.
    #[serde(default, rename = "route")]
    pub routes: Vec<RouteEntry>,
}

fn default_listen() -> String {
    DEFAULT_LISTEN.to_owned()
}

fn yes() -> bool {
    true
}

/// `[http]`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HttpSettings {
    /// A request not answered within this many milliseconds gets 503 (default 10,000).
    #[serde(default = "default_request_timeout_ms")]
    pub request_timeout_ms: u64,
    /// A client that has not sent its headers within this many milliseconds is dropped
    /// (default 5,000).
    #[serde(default = "default_header_timeout_ms")]
    pub header_timeout_ms: u64,
    /// A larger request body is refused with 413 (default 1 MiB).
    #[serde(default = "default_max_request_body")]
    pub max_request_body_bytes: usize,
    /// A larger response body (a route's or a plugin's) is a 500 (default 8 MiB).
    #[serde(default = "default_max_response_body")]
    pub max_response_body_bytes: usize,
    /// Paths the auth chain skips (default `/health*`, `/__mockforge/*`).
    #[serde(default = "default_auth_excluded")]
    pub auth_excluded: Vec<String>,
    /// How long a graceful shutdown waits for requests in flight, in ms (default 10,000).
    #[serde(default = "default_shutdown_grace_ms")]
    pub shutdown_grace_ms: u64,
    /// What a request gets when every auth plugin that applies abstained (none found
    /// credentials of its scheme): `"deny"` (the default: 401 with `auth-challenges`) or
    /// `"pass"` (it goes on unauthenticated).
    #[serde(default)]
    pub when_auth_abstains: AbstainAnswer,
    /// The `WWW-Authenticate` challenges of that 401 (default `Bearer realm="mockforge"`).
    #[serde(default = "default_auth_challenges")]
    pub auth_challenges: Vec<String>,
}

/// `[http] when-auth-abstains`.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum AbstainAnswer {
    /// 401 with the configured challenges.
    #[default]
    Deny,
    /// On, unauthenticated.
    Pass,
}

fn default_auth_challenges() -> Vec<String> {
    vec![mockforge_component_http::DEFAULT_CHALLENGE.to_owned()]
}

fn default_request_timeout_ms() -> u64 {
    DEFAULT_REQUEST_TIMEOUT.as_millis() as u64
}
fn default_header_timeout_ms() -> u64 {
    DEFAULT_HEADER_TIMEOUT.as_millis() as u64
}
fn default_max_request_body() -> usize {
    mockforge_component_http::DEFAULT_MAX_REQUEST_BODY
}
fn default_max_response_body() -> usize {
    mockforge_component_http::DEFAULT_MAX_RESPONSE_BODY
}
fn default_auth_excluded() -> Vec<String> {
    mockforge_component_http::DEFAULT_EXCLUDED
        .iter()
        .map(|s| s.to_string())
        .collect()
}
fn default_shutdown_grace_ms() -> u64 {
    DEFAULT_SHUTDOWN_GRACE.as_millis() as u64
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            request_timeout_ms: default_request_timeout_ms(),
            header_timeout_ms: default_header_timeout_ms(),
            max_request_body_bytes: default_max_request_body(),
            max_response_body_bytes: default_max_response_body(),
            auth_excluded: default_auth_excluded(),
            shutdown_grace_ms: default_shutdown_grace_ms(),
            when_auth_abstains: AbstainAnswer::default(),
            auth_challenges: default_auth_challenges(),
        }
    }
}

/// `[host]`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HostSettings {
    /// Folders plugins may be granted (read-only), when their manifests ask.
    #[serde(default)]
    pub allow_dirs: Vec<PathBuf>,
    /// Environment variables plugins may be granted.
    #[serde(default)]
    pub allow_env: Vec<String>,
    /// Where compiled artifacts are cached (default: the user's cache folder); `""` turns the
    /// cache off.
    pub cache_dir: Option<PathBuf>,
}

/// One `[[plugin]]`: a folder holding a component, a legacy core module or a `[remote]`
/// manifest. Its kind (from the manifest) puts it in the auth chain, the response chain or
/// both.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PluginEntry {
    /// The plugin's folder (or its `plugin.toml`), relative to the configuration file.
    pub path: PathBuf,
    /// The request paths it applies to (`/orders/*`, `/login`); every path when absent.
    #[serde(default)]
    pub paths: Vec<String>,
    /// `closed` (default: a failure answers 503/500) or `open` (a failure passes over it).
    #[serde(default)]
    pub on_failure: OnFailure,
    /// When it is taken out of the path after repeated failures.
    #[serde(default)]
    pub breaker: BreakerEntry,
}

/// `on-failure`.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum OnFailure {
    /// A failure answers the request with a generic 503 (auth) or 500 (response).
    #[default]
    Closed,
    /// A failure passes over the plugin.
    Open,
}

/// `[plugin.breaker]`.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BreakerEntry {
    /// Failures within `window-ms` that take the plugin out of the path (default 5; 0: never).
    #[serde(default = "default_breaker_failures")]
    pub failures: u32,
    /// The window, in milliseconds (default 10,000).
    #[serde(default = "default_breaker_window_ms")]
    pub window_ms: u64,
    /// How long it stays out before a probe, in milliseconds (default 30,000).
    #[serde(default = "default_breaker_cooldown_ms")]
    pub cooldown_ms: u64,
}

fn default_breaker_failures() -> u32 {
    mockforge_component_http::DEFAULT_BREAKER_FAILURES
}
fn default_breaker_window_ms() -> u64 {
    mockforge_component_http::DEFAULT_BREAKER_WINDOW.as_millis() as u64
}
fn default_breaker_cooldown_ms() -> u64 {
    mockforge_component_http::DEFAULT_BREAKER_COOLDOWN.as_millis() as u64
}

impl Default for BreakerEntry {
    fn default() -> Self {
        Self {
            failures: default_breaker_failures(),
            window_ms: default_breaker_window_ms(),
            cooldown_ms: default_breaker_cooldown_ms(),
        }
    }
}

/// One `[[route]]`: a method and a path template to a default mock response.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RouteEntry {
    /// The method (`GET`, `POST`, ...; `ANY` for every method; default `GET`).
    #[serde(default = "default_method")]
    pub method: String,
    /// The path template: literal segments and `{name}` parameters (`/users/{id}`), or a
    /// trailing `{*rest}`.
    pub path: String,
    /// The mock's status (default 200).
    #[serde(default = "default_status")]
    pub status: u16,
    /// The mock's headers.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// The mock's body, inline. `{name}` is replaced by the path parameter's value, and
    /// `{auth.subject}` and `{auth.plugin}` by who the auth chain said the caller is
    /// (`anonymous` and `none` when no plugin allowed the request).
    pub body: Option<String>,
    /// The mock's body from a file (relative to the configuration file), sent as it is.
    pub body_file: Option<PathBuf>,
}

fn default_method() -> String {
    "GET".to_owned()
}
fn default_status() -> u16 {
    200
}

/// A configuration that cannot be used: the file and what is wrong, naming the key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML, or holds an unknown key or a bad value.
    #[error("{origin}: {message}")]
    Parse {
        /// The file (or `built-in`).
        origin: String,
        /// What is wrong.
        message: String,
    },
}

impl ServerConfig {
    /// Parses `text`; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Self, ConfigError> {
        let config: Self = toml::from_str(text).map_err(|e| ConfigError::Parse {
            origin: origin.to_owned(),
            message: one_line(&e.to_string()),
        })?;
        config.validate().map_err(|message| ConfigError::Parse {
            origin: origin.to_owned(),
            message,
        })?;
        Ok(config)
    }

    /// Reads and parses the file at `path` (at most [`MAX_CONFIG_BYTES`], a regular file).
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text = read_bounded(path, MAX_CONFIG_BYTES).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// The listen address, parsed.
    pub fn listen_addr(&self) -> Result<SocketAddr, String> {
        self.listen.parse().map_err(|_| {
            format!(
                "listen: {:?} is not an address such as 127.0.0.1:8080",
                self.listen
            )
        })
    }

    fn validate(&self) -> Result<(), String> {
        self.listen_addr()?;
        for (i, route) in self.routes.iter().enumerate() {
            let at = format!("route[{i}] ({} {})", route.method, route.path);
            if !route.path.starts_with('/') {
                return Err(format!("{at}: path must start with `/`"));
            }
            if route.body.is_some() && route.body_file.is_some() {
                return Err(format!("{at}: give `body` or `body-file`, not both"));
            }
            if !(100..=599).contains(&route.status) {
                return Err(format!(
                    "{at}: status {} is not an HTTP status",
                    route.status
                ));
            }
            let method = route.method.to_ascii_uppercase();
            if method != "ANY" && axum::http::Method::from_bytes(method.as_bytes()).is_err() {
                return Err(format!("{at}: {:?} is not an HTTP method", route.method));
            }
            for (name, value) in &route.headers {
                if axum::http::HeaderName::from_bytes(name.as_bytes()).is_err()
                    || axum::http::HeaderValue::from_str(value).is_err()
                {
                    return Err(format!("{at}: header {name:?} is not a valid HTTP header"));
                }
            }
        }
        for (i, plugin) in self.plugins.iter().enumerate() {
            for path in &plugin.paths {
                if !path.starts_with('/') {
                    return Err(format!(
                        "plugin[{i}] ({}): paths: {path:?} must start with `/`",
                        plugin.path.display()
                    ));
                }
            }
        }
        Ok(())
    }
}

/// A TOML error on one line, with a quoted source line cut to a readable length.
fn one_line(message: &str) -> String {
    let text = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if text.len() > 400 {
        let mut end = 400;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}...", &text[..end])
    } else {
        text
    }
}

/// A regular file's text, at most `max` bytes.
pub(crate) fn read_bounded(path: &Path, max: u64) -> std::io::Result<String> {
    let bytes = read_bytes_bounded(path, max)?;
    String::from_utf8(bytes)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8 text"))
}

/// A regular file's bytes, at most `max`.
pub(crate) fn read_bytes_bounded(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    if meta.len() > max {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{} bytes, over the limit of {max}", meta.len()),
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("over the limit of {max} bytes"),
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_an_empty_file() {
        let config = ServerConfig::parse("", "test").unwrap();
        assert_eq!(config.listen, DEFAULT_LISTEN);
        assert_eq!(config.http, HttpSettings::default());
        assert!(config.watch);
        assert!(config.plugins.is_empty() && config.routes.is_empty());
    }

    #[test]
    fn an_unknown_key_is_refused_by_name() {
        let err = ServerConfig::parse("[[route]]\npath = \"/a\"\nstatuss = 200\n", "cfg.toml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("cfg.toml: "), "{err}");
        assert!(err.contains("statuss"), "{err}");
    }

    #[test]
    fn bad_values_are_named() {
        for (text, expected) in [
            ("listen = \"nowhere\"", "listen"),
            ("[[route]]\npath = \"a\"", "must start with `/`"),
            ("[[route]]\npath = \"/a\"\nstatus = 999", "999"),
            (
                "[[route]]\npath = \"/a\"\nmethod = \"G T\"",
                "not an HTTP method",
            ),
            (
                "[[route]]\npath = \"/a\"\nbody = \"x\"\nbody-file = \"y\"",
                "not both",
            ),
            (
                "[[route]]\npath = \"/a\"\nheaders = { \"a\\nb\" = \"1\" }",
                "not a valid HTTP header",
            ),
            (
                "[[plugin]]\npath = \"p\"\non-failure = \"sometimes\"",
                "sometimes",
            ),
        ] {
            let err = ServerConfig::parse(text, "t").unwrap_err().to_string();
            assert!(err.contains(expected), "{text}: {err}");
        }
    }

    #[test]
    fn a_huge_line_is_not_quoted_whole() {
        let text = format!("listen = {}", "x".repeat(100_000));
        let err = ServerConfig::parse(&text, "t").unwrap_err().to_string();
        assert!(err.len() < 1_000, "{} bytes", err.len());
    }
}
