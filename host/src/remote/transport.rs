//! The HTTP client of one remote plugin: a pooled keep-alive client (HTTP/1.1, HTTP/2 by ALPN
//! or prior knowledge), rustls with the system's roots, a response-size cap, and retries with
//! exponential backoff and full jitter where retrying is safe, within the call's deadline.

use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::{Method, StatusCode};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use super::settings::Resolved;
use super::wire::{PROTOCOL_VERSION, VERSION_HEADER};
use crate::manifest::remote::HttpVersion;

/// How long an idle pooled connection is kept.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);
/// TCP keep-alive on pooled connections, so that a peer that vanished is noticed.
const TCP_KEEPALIVE: Duration = Duration::from_secs(60);

/// Why an exchange failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// No connection could be made, so nothing was sent: safe to retry.
    Connect(String),
    /// The exchange broke after the request may have been sent: not retried.
    Broken(String),
    /// The call's deadline passed.
    Timeout,
    /// The response body is larger than the cap.
    TooLarge(usize),
}

/// A complete answer.
pub(crate) struct Reply {
    pub status: StatusCode,
    pub body: Bytes,
}

pub(crate) struct Transport {
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
    endpoint: String,
    authorization: Option<HeaderValue>,
    max_response_bytes: usize,
    retries: u32,
    backoff: Duration,
    backoff_max: Duration,
}

impl Transport {
    pub(crate) fn new(settings: &Resolved, secret: Option<&str>) -> Result<Self, String> {
        let tls = tls_config(settings.endpoint.starts_with("https://"))?;
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(Some(settings.connect_timeout));
        http.set_nodelay(true);
        http.set_keepalive(Some(TCP_KEEPALIVE));
        let builder = HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http();
        let connector = match settings.http {
            HttpVersion::Auto => builder.enable_all_versions().wrap_connector(http),
            HttpVersion::Http1 => builder.enable_http1().wrap_connector(http),
            HttpVersion::Http2 => builder.enable_http2().wrap_connector(http),
        };
        let client = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .timer(TokioTimer::new())
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .pool_max_idle_per_host(settings.max_concurrency as usize)
            .http2_only(settings.http == HttpVersion::Http2)
            .build(connector);
        let authorization = secret
            .map(|secret| {
                let mut value = HeaderValue::from_str(&format!("Bearer {secret}"))
                    .map_err(|_| "the secret is not a valid header value".to_owned())?;
                value.set_sensitive(true);
                Ok::<_, String>(value)
            })
            .transpose()?;
        Ok(Self {
            client,
            endpoint: settings.endpoint.clone(),
            authorization,
            max_response_bytes: settings.max_response_bytes,
            retries: settings.retries,
            backoff: settings.backoff,
            backoff_max: settings.backoff_max,
        })
    }

    /// Sends `body` to `path` and reads the answer, retrying where safe (nothing was sent, or
    /// the remote answered 502, 503 or 504) while the backoff still ends before `deadline`.
    pub(crate) async fn exchange(
        &self,
        method: Method,
        path: &str,
        body: Bytes,
        deadline: Instant,
        retries: &AtomicU64,
    ) -> Result<Reply, Failure> {
        let mut attempt = 0;
        loop {
            let result = self.attempt(&method, path, body.clone(), deadline).await;
            let retriable = match &result {
                Err(Failure::Connect(_)) => true,
                Ok(reply) => matches!(reply.status.as_u16(), 502..=504),
                Err(_) => false,
            };
            if !retriable || attempt >= self.retries {
                return result;
            }
            let delay = self.backoff(attempt);
            if Instant::now() + delay >= deadline {
                return result;
            }
            tokio::time::sleep(delay).await;
            attempt += 1;
            retries.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub(crate) async fn attempt(
        &self,
        method: &Method,
        path: &str,
        body: Bytes,
        deadline: Instant,
    ) -> Result<Reply, Failure> {
        let mut request = hyper::Request::builder()
            .method(method.clone())
            .uri(format!("{}{path}", self.endpoint))
            .header(VERSION_HEADER, PROTOCOL_VERSION)
            .header(ACCEPT, "application/json");
        if !body.is_empty() {
            request = request.header(CONTENT_TYPE, "application/json");
        }
        if let Some(authorization) = &self.authorization {
            request = request.header(AUTHORIZATION, authorization.clone());
        }
        let request = request
            .body(Full::new(body))
            .map_err(|e| Failure::Broken(e.to_string()))?;
        let exchange = async {
            let response = self.client.request(request).await.map_err(|e| {
                if e.is_connect() {
                    Failure::Connect(error_chain(&e))
                } else {
                    Failure::Broken(error_chain(&e))
                }
            })?;
            let status = response.status();
            let declared = response
                .headers()
                .get(CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
            if declared.is_some_and(|n| n > self.max_response_bytes as u64) {
                return Err(Failure::TooLarge(self.max_response_bytes));
            }
            let body = Limited::new(response.into_body(), self.max_response_bytes)
                .collect()
                .await
                .map_err(|e| match e.downcast_ref::<LengthLimitError>() {
                    Some(_) => Failure::TooLarge(self.max_response_bytes),
                    None => Failure::Broken(error_chain(e.as_ref())),
                })?
                .to_bytes();
            Ok(Reply { status, body })
        };
        tokio::time::timeout_at(deadline.into(), exchange)
            .await
            .unwrap_or(Err(Failure::Timeout))
    }

    /// Full jitter: uniform in [0, min(max, base * 2^attempt)).
    fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self
            .backoff
            .saturating_mul(1 << attempt.min(16))
            .min(self.backoff_max);
        let random = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        ceiling.mul_f64((random >> 11) as f64 / (1u64 << 53) as f64)
    }
}

/// A client configuration with the system's root certificates (read only for `https://`
/// endpoints) and ring as the crypto provider.
fn tls_config(https: bool) -> Result<rustls::ClientConfig, String> {
    let mut roots = rustls::RootCertStore::empty();
    if https {
        let found = rustls_native_certs::load_native_certs();
        let (added, _) = roots.add_parsable_certificates(found.certs);
        if added == 0 {
            return Err(format!(
                "no system root certificates could be loaded ({:?})",
                found.errors
            ));
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
