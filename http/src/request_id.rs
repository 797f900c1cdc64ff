//! Request ids: taken from a well-formed `x-request-id` header or made up, put into the
//! request's extensions, and echoed on the response.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Request, Response};
use tower::{Layer, Service};

use crate::BoxFuture;

/// The request id header, read and written.
pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// Longest client-sent id that is kept; a longer or odd one is replaced.
pub const MAX_REQUEST_ID_LEN: usize = 128;

/// A request's id, in its extensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(Arc<str>);

impl RequestId {
    /// The id's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A new id, unique within this process and unlikely to repeat across processes.
    pub fn generate() -> Self {
        static PROCESS: OnceLock<u32> = OnceLock::new();
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let process = *PROCESS.get_or_init(|| {
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.subsec_nanos() ^ (d.as_secs() as u32))
                .unwrap_or(0);
            nanos ^ std::process::id().rotate_left(16)
        });
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        Self(format!("{process:08x}-{n:012x}").into())
    }

    /// A client's id, when it is 1 to [`MAX_REQUEST_ID_LEN`] characters of `[A-Za-z0-9._:-]`.
    pub fn from_client(value: &HeaderValue) -> Option<Self> {
        let bytes = value.as_bytes();
        let ok = !bytes.is_empty()
            && bytes.len() <= MAX_REQUEST_ID_LEN
            && bytes
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b':'));
        ok.then(|| Self(String::from_utf8_lossy(bytes).into()))
    }
}

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Gives every request a [`RequestId`] and echoes it in the response's `x-request-id`.
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestIdLayer;

impl<S> Layer<S> for RequestIdLayer {
    type Service = RequestIdService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RequestIdService { inner }
    }
}

/// The service [`RequestIdLayer`] makes.
#[derive(Debug, Clone)]
pub struct RequestIdService<S> {
    inner: S,
}

impl<S> Service<Request<Body>> for RequestIdService<S>
where
    S: Service<Request<Body>, Response = Response<Body>> + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response<Body>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Response<Body>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request<Body>) -> Self::Future {
        let id = req
            .headers()
            .get(&REQUEST_ID_HEADER)
            .and_then(RequestId::from_client)
            .unwrap_or_else(RequestId::generate);
        req.extensions_mut().insert(id.clone());
        let response = self.inner.call(req);
        Box::pin(async move {
            let mut resp = response.await?;
            if let Ok(value) = HeaderValue::from_str(id.as_str()) {
                resp.headers_mut().insert(REQUEST_ID_HEADER, value);
            }
            Ok(resp)
        })
    }
}
