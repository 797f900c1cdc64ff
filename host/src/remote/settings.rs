//! A remote plugin's `[remote]` table with the defaults filled in and the embedder's caps
//! applied: what the client runs with.

use std::time::Duration;

use crate::manifest::remote::{
    HttpVersion, OnUnavailable, RemoteSettings, DEFAULT_BACKOFF, DEFAULT_BACKOFF_MAX,
    DEFAULT_BREAKER_COOLDOWN, DEFAULT_BREAKER_FAILURES, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_HEALTH_INTERVAL, DEFAULT_MAX_CONCURRENCY, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_REMOTE_TIMEOUT, DEFAULT_RETRIES,
};

/// The settings with defaults filled in and caps applied.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub endpoint: String,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub retries: u32,
    pub backoff: Duration,
    pub backoff_max: Duration,
    pub breaker_failures: u32,
    pub breaker_cooldown: Duration,
    pub health_interval: Option<Duration>,
    pub max_concurrency: u32,
    pub max_response_bytes: usize,
    pub on_unavailable: OnUnavailable,
    pub http: HttpVersion,
}

impl Resolved {
    pub(crate) fn new(
        settings: &RemoteSettings,
        max_timeout: Duration,
        max_concurrency: u32,
    ) -> Self {
        let ms =
            |value: Option<u64>, default: Duration| value.map_or(default, Duration::from_millis);
        Self {
            endpoint: settings.endpoint.trim_end_matches('/').to_owned(),
            timeout: ms(settings.timeout_ms, DEFAULT_REMOTE_TIMEOUT).min(max_timeout),
            connect_timeout: ms(settings.connect_timeout_ms, DEFAULT_CONNECT_TIMEOUT),
            retries: settings.retries.unwrap_or(DEFAULT_RETRIES),
            backoff: ms(settings.backoff_ms, DEFAULT_BACKOFF),
            backoff_max: ms(settings.backoff_max_ms, DEFAULT_BACKOFF_MAX),
            breaker_failures: settings
                .breaker_failures
                .unwrap_or(DEFAULT_BREAKER_FAILURES),
            breaker_cooldown: ms(settings.breaker_cooldown_ms, DEFAULT_BREAKER_COOLDOWN),
            health_interval: Some(ms(settings.health_interval_ms, DEFAULT_HEALTH_INTERVAL))
                .filter(|interval| !interval.is_zero()),
            max_concurrency: settings
                .max_concurrency
                .unwrap_or(DEFAULT_MAX_CONCURRENCY)
                .min(max_concurrency)
                .max(1),
            max_response_bytes: usize::try_from(
                settings
                    .max_response_bytes
                    .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            )
            .unwrap_or(usize::MAX),
            on_unavailable: settings.on_unavailable,
            http: settings.http,
        }
    }
}
