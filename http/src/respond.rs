//! Response plugins around a route's mock: a tower layer for a route (after matching) that
//! lets plugins produce the answer, falls through to the route's default mock, and lets every
//! plugin modify the result.

use std::convert::Infallible;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::{Request, Response, StatusCode};
use mockforge_component_host::Response as PluginResponse;
use tower::{Layer, Service};

use crate::chain_plugin::ChainPlugin;
use crate::convert::{self, BodyError};
use crate::errors::error_response;
use crate::limits::BodyLimits;
use crate::policy::FailurePolicy;
use crate::request_id::RequestId;
use crate::BoxFuture;

/// An ordered chain of response plugins.
///
/// For a request, the plugins whose scope matches its path are asked in order to `respond`:
/// the first that produces a response wins; when all decline, the wrapped service (the route's
/// default mock) answers. Then every plugin that applies may `modify` the result, in order.
/// Every plugin answer is checked before it is used (status, header names and values, body
/// size): an invalid one is that plugin's failure.
///
/// A plugin that fails fails closed by default (500 with a generic body; the cause goes to the
/// log and the metrics). Failing open, a failed `respond` counts as declining and a failed
/// `modify` leaves the response as it was.
#[derive(Debug, Clone)]
pub struct ResponseChain {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    plugins: Vec<ChainPlugin>,
    limits: BodyLimits,
}

/// What a plugin step concluded.
enum Step<T> {
    Done(T),
    /// Fail closed: answer 500.
    Abort,
    /// Fail open, or breaker open with fail open: go on without this plugin.
    Skip,
}

impl ResponseChain {
    /// A chain of `plugins` in this order.
    pub fn new(plugins: Vec<ChainPlugin>) -> Self {
        Self::with(plugins, BodyLimits::default())
    }

    /// A chain with its own body limits.
    pub fn with(plugins: Vec<ChainPlugin>, limits: BodyLimits) -> Self {
        Self {
            inner: Arc::new(Inner { plugins, limits }),
        }
    }

    /// The plugins, in order.
    pub fn plugins(&self) -> &[ChainPlugin] {
        &self.inner.plugins
    }

    /// The layer that runs this chain around a route's service.
    pub fn layer(&self) -> ResponseLayer {
        ResponseLayer {
            chain: self.clone(),
        }
    }

    /// Answers `req`: a plugin's response or `default`'s, then modified by every plugin.
    pub async fn answer<S>(&self, req: Request<Body>, mut default: S) -> Response<Body>
    where
        S: Service<Request<Body>, Response = Response<Body>, Error = Infallible>,
    {
        let path = req.uri().path().to_owned();
        let applicable: Vec<&ChainPlugin> = self
            .inner
            .plugins
            .iter()
            .filter(|p| p.applies_to(&path))
            .collect();
        if applicable.is_empty() {
            return match default.call(req).await {
                Ok(resp) => resp,
                Err(never) => match never {},
            };
        }
        let limits = self.inner.limits;
        let (mut parts, body) = req.into_parts();
        // After routing: the matched route's parameters, percent-decoded (none when the
        // request reached a fallback or they are not UTF-8).
        let path_params = RawPathParams::from_request_parts(&mut parts, &())
            .await
            .map(|params| {
                params
                    .iter()
                    .map(|(name, value)| (name.to_owned(), value.to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        let id = parts.extensions.get::<RequestId>().cloned();
        let id_text = id.as_ref().map_or("-", RequestId::as_str);
        let bytes =
            match convert::read_body(body, limits.max_request_body, limits.read_timeout).await {
                Ok(bytes) => bytes,
                Err(BodyError::TooLarge) => {
                    return error_response(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "request body too large",
                        id.as_ref(),
                    )
                }
                Err(BodyError::Timeout) => {
                    return error_response(
                        StatusCode::REQUEST_TIMEOUT,
                        "the request body did not arrive in time",
                        id.as_ref(),
                    )
                }
                Err(BodyError::Read) => {
                    return error_response(
                        StatusCode::BAD_REQUEST,
                        "the request body could not be read",
                        id.as_ref(),
                    )
                }
            };
        let host_request = match convert::host_request(&mut parts, &bytes, path_params) {
            Ok(r) => Arc::new(r),
            Err(why) => return error_response(StatusCode::BAD_REQUEST, &why, id.as_ref()),
        };
        let failed = || {
            error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the mock failed",
                id.as_ref(),
            )
        };

        // 1. The first plugin that produces a response.
        let mut current: Option<PluginResponse> = None;
        for chained in &applicable {
            match respond(chained, &host_request, limits, id_text).await {
                Step::Done(Some(resp)) => {
                    current = Some(resp);
                    break;
                }
                Step::Done(None) | Step::Skip => {}
                Step::Abort => return failed(),
            }
        }
        // 2. Else the route's default mock.
        let mut current = match current {
            Some(resp) => resp,
            None => {
                // The modifiers still read the host's request: the route gets a copy of the
                // headers.
                parts.headers = host_request.headers.clone().into_header_map();
                let req = Request::from_parts(parts, Body::from(bytes));
                let resp = match default.call(req).await {
                    Ok(resp) => resp,
                    Err(never) => match never {},
                };
                let (resp_parts, resp_body) = resp.into_parts();
                match convert::read_body(resp_body, limits.max_response_body, limits.read_timeout)
                    .await
                {
                    Ok(body) => {
                        convert::host_response(resp_parts.status, &resp_parts.headers, body)
                    }
                    Err(_) => {
                        tracing::warn!(
                            request_id = id_text,
                            "the route's response body could not be read within the limit"
                        );
                        return failed();
                    }
                }
            }
        };
        // 3. Every modifier, in order.
        for chained in &applicable {
            match modify(chained, &host_request, &current, limits, id_text).await {
                Step::Done(resp) => current = resp,
                Step::Skip => {}
                Step::Abort => return failed(),
            }
        }
        match convert::http_response(current, limits.max_response_body) {
            Ok(resp) => resp,
            // Only a route's own response can get here unchecked; modifiers' answers are checked.
            Err(why) => {
                tracing::warn!(
                    request_id = id_text,
                    "the response is not valid HTTP: {why}"
                );
                failed()
            }
        }
    }
}

async fn respond(
    chained: &ChainPlugin,
    req: &Arc<mockforge_component_host::Request>,
    limits: BodyLimits,
    id: &str,
) -> Step<Option<PluginResponse>> {
    let Some(ticket) = chained.admit() else {
        return skip_or_abort(chained);
    };
    match chained.plugin.respond(Arc::clone(req)).await {
        Ok(None) => {
            ticket.success();
            chained.stats.bump(&chained.stats.declined);
            Step::Done(None)
        }
        Ok(Some(resp)) => match convert::check_response(&resp, limits.max_response_body) {
            Ok(()) => {
                ticket.success();
                chained.stats.bump(&chained.stats.produced);
                Step::Done(Some(resp))
            }
            Err(why) => {
                chained.failed(ticket, "respond", &why, id);
                skip_or_abort(chained)
            }
        },
        Err(err) => {
            chained.errored(ticket, "respond", &err, id);
            skip_or_abort(chained)
        }
    }
}

async fn modify(
    chained: &ChainPlugin,
    req: &Arc<mockforge_component_host::Request>,
    current: &PluginResponse,
    limits: BodyLimits,
    id: &str,
) -> Step<PluginResponse> {
    let Some(ticket) = chained.admit() else {
        return skip_or_abort(chained);
    };
    match chained
        .plugin
        .modify(Arc::clone(req), current.clone())
        .await
    {
        Ok(resp) => match convert::check_response(&resp, limits.max_response_body) {
            Ok(()) => {
                ticket.success();
                if &resp != current {
                    chained.stats.bump(&chained.stats.modified);
                }
                Step::Done(resp)
            }
            Err(why) => {
                chained.failed(ticket, "modify", &why, id);
                skip_or_abort(chained)
            }
        },
        Err(err) => {
            chained.errored(ticket, "modify", &err, id);
            skip_or_abort(chained)
        }
    }
}

fn skip_or_abort<T>(chained: &ChainPlugin) -> Step<T> {
    match chained.policy {
        FailurePolicy::Closed => Step::Abort,
        FailurePolicy::Open => Step::Skip,
    }
}

/// Runs a [`ResponseChain`] around a route's service (axum: `route_layer`).
#[derive(Debug, Clone)]
pub struct ResponseLayer {
    chain: ResponseChain,
}

impl ResponseLayer {
    /// The layer for `chain`.
    pub fn new(chain: ResponseChain) -> Self {
        Self { chain }
    }
}

impl<S> Layer<S> for ResponseLayer {
    type Service = ResponseService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ResponseService {
            inner,
            chain: self.chain.clone(),
        }
    }
}

/// The service [`ResponseLayer`] makes.
#[derive(Debug, Clone)]
pub struct ResponseService<S> {
    inner: S,
    chain: ResponseChain,
}

impl<S> Service<Request<Body>> for ResponseService<S>
where
    S: Service<Request<Body>, Response = Response<Body>, Error = Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = BoxFuture<Result<Response<Body>, Infallible>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<Body>) -> Self::Future {
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        let chain = self.chain.clone();
        Box::pin(async move { Ok(chain.answer(req, inner).await) })
    }
}
