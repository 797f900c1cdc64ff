//! The `[remote]` table of a remote plugin's manifest: where the plugin is served and how the
//! host calls it. Every value has a documented default.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Time per call (connecting, retries and backoff included) when the manifest names none:
/// a network hop plus a service, still within interactive time.
pub const DEFAULT_REMOTE_TIMEOUT: Duration = Duration::from_secs(1);
/// Time to establish a connection when the manifest names none; a connect that takes longer
/// sent nothing and is retried.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(250);
/// Retries of a call that failed where retrying is safe, when the manifest names none.
pub const DEFAULT_RETRIES: u32 = 2;
/// The most retries a manifest may ask for: more turns an outage into a retry storm.
pub const MAX_RETRIES: u32 = 10;
/// The first backoff before a retry; each later one doubles, with full jitter.
pub const DEFAULT_BACKOFF: Duration = Duration::from_millis(10);
/// The longest backoff before one retry.
pub const DEFAULT_BACKOFF_MAX: Duration = Duration::from_millis(500);
/// Consecutive failures that open the circuit breaker.
pub const DEFAULT_BREAKER_FAILURES: u32 = 5;
/// How long an open breaker fails calls fast before letting one probe call through.
pub const DEFAULT_BREAKER_COOLDOWN: Duration = Duration::from_secs(5);
/// How often the host checks the remote's health in the background; 0 turns checks off.
pub const DEFAULT_HEALTH_INTERVAL: Duration = Duration::from_secs(5);
/// Calls in flight to one remote plugin at once (and idle pooled connections kept to it).
pub const DEFAULT_MAX_CONCURRENCY: u32 = 32;
/// The largest response body the host reads from a remote plugin: a mock response is small,
/// and an unbounded body is a memory bomb.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 1 << 20;
/// The largest response-body cap a manifest may ask for.
pub const MAX_RESPONSE_BYTES: u64 = 64 << 20;

/// Where a remote plugin is served and how the host calls it: the `[remote]` table.
///
/// ```toml
/// [remote]
/// endpoint = "https://auth.internal:8443"  # required; http:// or https:// (system roots)
/// secret = "change-me"          # bearer token the remote checks; the embedder's wins
/// timeout-ms = 1000             # per call, retries and backoff included
/// connect-timeout-ms = 250
/// retries = 2                   # only where safe: nothing was sent, or 502/503/504
/// backoff-ms = 10               # doubles per retry, full jitter, capped by backoff-max-ms
/// backoff-max-ms = 500
/// breaker-failures = 5          # consecutive failures that open the breaker
/// breaker-cooldown-ms = 5000    # open this long, then one probe call
/// health-interval-ms = 5000     # background GET /health; 0 turns it off
/// max-concurrency = 32          # calls in flight at once; more wait (within the deadline)
/// max-response-bytes = 1048576
/// on-unavailable = "deny"       # auth plugins: "deny" (503), "allow" or "error"
/// http = "auto"                 # "auto", "http1" or "http2" (prior knowledge on http://)
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RemoteSettings {
    /// The base URL the protocol's paths are appended to (`http://` or `https://`).
    pub endpoint: String,
    /// The shared secret sent as `Authorization: Bearer ...`; one the embedder provides
    /// through [`HostConfig::remote_secret`](crate::HostConfig::remote_secret) wins.
    #[serde(default, skip_serializing)]
    pub secret: Option<String>,
    /// Time per call in milliseconds. Default [`DEFAULT_REMOTE_TIMEOUT`], capped by the
    /// embedder's maximum time per call.
    pub timeout_ms: Option<u64>,
    /// Time to connect in milliseconds. Default [`DEFAULT_CONNECT_TIMEOUT`].
    pub connect_timeout_ms: Option<u64>,
    /// Retries where safe. Default [`DEFAULT_RETRIES`], at most [`MAX_RETRIES`].
    pub retries: Option<u32>,
    /// The first backoff in milliseconds. Default [`DEFAULT_BACKOFF`].
    pub backoff_ms: Option<u64>,
    /// The longest backoff in milliseconds. Default [`DEFAULT_BACKOFF_MAX`].
    pub backoff_max_ms: Option<u64>,
    /// Consecutive failures that open the breaker. Default [`DEFAULT_BREAKER_FAILURES`].
    pub breaker_failures: Option<u32>,
    /// How long the breaker stays open, in milliseconds. Default [`DEFAULT_BREAKER_COOLDOWN`].
    pub breaker_cooldown_ms: Option<u64>,
    /// Background health checks, in milliseconds; 0 turns them off. Default
    /// [`DEFAULT_HEALTH_INTERVAL`].
    pub health_interval_ms: Option<u64>,
    /// Calls in flight at once. Default [`DEFAULT_MAX_CONCURRENCY`], capped by the embedder's
    /// maximum instances per plugin.
    pub max_concurrency: Option<u32>,
    /// The largest response body read. Default [`DEFAULT_MAX_RESPONSE_BYTES`], at most
    /// [`MAX_RESPONSE_BYTES`].
    pub max_response_bytes: Option<u64>,
    /// What `authenticate` answers while the remote is unavailable. Default
    /// [`OnUnavailable::Deny`].
    #[serde(default)]
    pub on_unavailable: OnUnavailable,
    /// Which HTTP versions to speak. Default [`HttpVersion::Auto`].
    #[serde(default)]
    pub http: HttpVersion,
}

impl std::fmt::Debug for RemoteSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteSettings")
            .field("endpoint", &self.endpoint)
            .field("secret", &self.secret.as_ref().map(|_| "<redacted>"))
            .field("timeout_ms", &self.timeout_ms)
            .field("retries", &self.retries)
            .field("on_unavailable", &self.on_unavailable)
            .field("http", &self.http)
            .finish_non_exhaustive()
    }
}

/// What an auth plugin's `authenticate` answers while its remote is unavailable (it cannot
/// be reached, its breaker is open, it answered 502/503/504, or the call timed out). Other
/// failures (a bad answer, a 500, the plugin's own error) are returned as errors whatever
/// this says. The failure is counted in the plugin's metrics either way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OnUnavailable {
    /// Fail closed: deny with status 503 and `Retry-After`, so that an embedder that only
    /// looks at the outcome refuses the request. The default.
    #[default]
    Deny,
    /// Fail open: allow as the identity `anonymous` with the claim `fail-open: true`.
    Allow,
    /// Return the typed error ([`Error::Unavailable`](crate::Error::Unavailable) or
    /// [`Error::Timeout`](crate::Error::Timeout)) and let the embedder decide.
    Error,
}

/// The HTTP versions a remote plugin is called with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HttpVersion {
    /// HTTP/1.1 on `http://`; HTTP/2 or HTTP/1.1 by ALPN on `https://`. The default.
    #[default]
    Auto,
    /// HTTP/1.1 only.
    Http1,
    /// HTTP/2 only: prior knowledge (h2c) on `http://`, ALPN `h2` on `https://`.
    Http2,
}

impl RemoteSettings {
    /// Settings for `endpoint` with every other value at its default.
    pub fn new(endpoint: impl Into<String>) -> Self {
        Self {
            endpoint: endpoint.into(),
            secret: None,
            timeout_ms: None,
            connect_timeout_ms: None,
            retries: None,
            backoff_ms: None,
            backoff_max_ms: None,
            breaker_failures: None,
            breaker_cooldown_ms: None,
            health_interval_ms: None,
            max_concurrency: None,
            max_response_bytes: None,
            on_unavailable: OnUnavailable::default(),
            http: HttpVersion::default(),
        }
    }

    /// Checks values the TOML types alone do not constrain; the message names the key.
    pub(crate) fn validate(&self) -> Result<(), String> {
        let endpoint = self.endpoint.trim_end_matches('/');
        let rest = endpoint
            .strip_prefix("http://")
            .or_else(|| endpoint.strip_prefix("https://"));
        match rest {
            Some(rest) if !rest.is_empty() && !rest.contains(['?', '#', ' ']) => {}
            _ => {
                return Err(format!(
                "key `remote.endpoint`: `{}` must be an http:// or https:// URL without a query",
                self.endpoint
            ))
            }
        }
        if self.endpoint.parse::<hyper::Uri>().is_err() {
            return Err(format!(
                "key `remote.endpoint`: `{}` is not a valid URL",
                self.endpoint
            ));
        }
        let positive = [
            ("timeout-ms", self.timeout_ms),
            ("connect-timeout-ms", self.connect_timeout_ms),
            ("breaker-failures", self.breaker_failures.map(u64::from)),
            ("breaker-cooldown-ms", self.breaker_cooldown_ms),
            ("max-concurrency", self.max_concurrency.map(u64::from)),
            ("max-response-bytes", self.max_response_bytes),
        ];
        for (key, value) in positive {
            if value == Some(0) {
                return Err(format!("key `remote.{key}` must be at least 1"));
            }
        }
        if self.retries.is_some_and(|n| n > MAX_RETRIES) {
            return Err(format!(
                "key `remote.retries` must be at most {MAX_RETRIES}"
            ));
        }
        if self
            .max_response_bytes
            .is_some_and(|n| n > MAX_RESPONSE_BYTES)
        {
            return Err(format!(
                "key `remote.max-response-bytes` must be at most {MAX_RESPONSE_BYTES}"
            ));
        }
        if self.secret.as_deref() == Some("") {
            return Err("key `remote.secret` must not be empty".into());
        }
        Ok(())
    }
}
