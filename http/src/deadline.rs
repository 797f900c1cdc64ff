//! A per-request deadline: a request not answered in time gets 503, and whatever was running
//! for it (plugin calls included) is dropped.

use std::convert::Infallible;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use tower::{Layer, Service};

use crate::errors::error_response;
use crate::request_id::RequestId;
use crate::BoxFuture;

/// Answers 503 when the wrapped service takes longer than the deadline.
#[derive(Debug, Clone, Copy)]
pub struct DeadlineLayer {
    deadline: Duration,
}

impl DeadlineLayer {
    /// Requests must be answered within `deadline`.
    pub fn new(deadline: Duration) -> Self {
        Self { deadline }
    }
}

impl<S> Layer<S> for DeadlineLayer {
    type Service = DeadlineService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        DeadlineService {
            inner,
            deadline: self.deadline,
        }
    }
}

/// The service [`DeadlineLayer`] makes.
#[derive(Debug, Clone)]
pub struct DeadlineService<S> {
    inner: S,
    deadline: Duration,
}

impl<S> Service<Request<Body>> for DeadlineService<S>
where
    S: Service<Request<Body>, Response = Response<Body>, Error = Infallible> + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = BoxFuture<Result<Response<Body>, Infallible>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<Body>) -> Self::Future {
        let id = req.extensions().get::<RequestId>().cloned();
        let deadline = self.deadline;
        let response = self.inner.call(req);
        Box::pin(async move {
            match tokio::time::timeout(deadline, response).await {
                Ok(answer) => answer,
                Err(_) => {
                    tracing::warn!(
                        request_id = id.as_ref().map_or("-", RequestId::as_str),
                        "request deadline of {deadline:?} exceeded"
                    );
                    Ok(error_response(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "request deadline exceeded",
                        id.as_ref(),
                    ))
                }
            }
        })
    }
}
