//! The auth chain: a tower layer that asks auth plugins, in order, who a request is, before
//! routing.

use std::convert::Infallible;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::http::{HeaderValue, Request, Response, StatusCode};
use mockforge_component_host::{AuthOutcome, Denial, Identity};
use tower::{Layer, Service};

use crate::chain_plugin::ChainPlugin;
use crate::convert::{self, BodyError};
use crate::errors::error_response;
use crate::limits::BodyLimits;
use crate::policy::FailurePolicy;
use crate::request_id::RequestId;
use crate::scope::PathScope;
use crate::BoxFuture;

/// Paths the auth chain skips unless told otherwise: health checks and the admin endpoints.
pub const DEFAULT_EXCLUDED: [&str; 2] = ["/health*", "/__mockforge/*"];

/// Who the auth chain said the caller is, in the request's extensions for the route handler
/// (`Extension<Authenticated>` in axum). Cheap to clone: axum's extractor clones it for every
/// handler that asks.
#[derive(Debug, Clone)]
pub struct Authenticated {
    /// The plugin that allowed the request.
    pub plugin: Arc<str>,
    /// The identity it established.
    pub identity: Arc<Identity>,
}

/// What the chain does with a request every plugin abstained on (none of them found
/// credentials of its scheme), or passed over after failing open.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum WhenNoneDecides {
    /// Answer 401 with the given `WWW-Authenticate` challenges (the default: a mock behind
    /// auth plugins wants credentials). See [`DEFAULT_CHALLENGE`].
    #[default]
    Unauthorized,
    /// Let the request through unauthenticated (no [`Authenticated`] in its extensions).
    PassUnauthenticated,
}

/// The `WWW-Authenticate` challenge of the 401 a chain answers when every plugin abstained,
/// unless the chain is given its own ([`AuthChain::with_challenges`]).
pub const DEFAULT_CHALLENGE: &str = "Bearer realm=\"mockforge\"";

/// An ordered chain of auth plugins.
///
/// For a request, the plugins whose scope matches its path are asked in order: the first that
/// allows wins and its identity goes into the request's extensions ([`Authenticated`]). A
/// plugin that abstains (not its scheme) passes the request to the next. A denial does not
/// stop the chain either (the next scheme may know the caller); when no plugin allows, the
/// first denial answers, with its status, reason and headers plus the `WWW-Authenticate`
/// challenges of every plugin that denied. When no plugin allowed or denied (every one
/// abstained, or failed open), [`WhenNoneDecides`] says what happens: by default a 401 with
/// the chain's challenges. A request no plugin applies to, or on an excluded path, passes
/// unauthenticated.
///
/// A plugin that fails (or is cooling down after repeated failures) fails closed by default:
/// 503 with a generic body. Failing open, it is passed over; if every plugin that applies was
/// passed over, the request goes on unauthenticated.
#[derive(Debug, Clone)]
pub struct AuthChain {
    inner: Arc<Inner>,
}

#[derive(Debug, Clone)]
struct Inner {
    plugins: Vec<ChainPlugin>,
    excluded: PathScope,
    limits: BodyLimits,
    when_none_decides: WhenNoneDecides,
    challenges: Vec<HeaderValue>,
}

impl AuthChain {
    /// A chain of `plugins` in this order, skipping [`DEFAULT_EXCLUDED`].
    pub fn new(plugins: Vec<ChainPlugin>) -> Self {
        Self::with(
            plugins,
            PathScope::new(DEFAULT_EXCLUDED),
            BodyLimits::default(),
        )
    }

    /// A chain with its own excluded paths and body limits.
    pub fn with(plugins: Vec<ChainPlugin>, excluded: PathScope, limits: BodyLimits) -> Self {
        Self {
            inner: Arc::new(Inner {
                plugins,
                excluded,
                limits,
                when_none_decides: WhenNoneDecides::default(),
                challenges: vec![HeaderValue::from_static(DEFAULT_CHALLENGE)],
            }),
        }
    }

    /// This chain, doing `policy` when no plugin allows or denies a request.
    pub fn when_none_decides(mut self, policy: WhenNoneDecides) -> Self {
        Arc::make_mut(&mut self.inner).when_none_decides = policy;
        self
    }

    /// This chain, answering its 401 (when every plugin abstained) with these
    /// `WWW-Authenticate` challenges instead of [`DEFAULT_CHALLENGE`]; an error names a
    /// challenge that is not a valid header value.
    pub fn with_challenges<I, S>(mut self, challenges: I) -> Result<Self, String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let values = challenges
            .into_iter()
            .map(|c| {
                HeaderValue::from_str(c.as_ref()).map_err(|_| {
                    format!("`{}` is not a valid challenge", c.as_ref().escape_debug())
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Arc::make_mut(&mut self.inner).challenges = values;
        Ok(self)
    }

    /// The plugins, in order.
    pub fn plugins(&self) -> &[ChainPlugin] {
        &self.inner.plugins
    }

    /// The layer that runs this chain in front of a service.
    pub fn layer(&self) -> AuthLayer {
        AuthLayer {
            chain: self.clone(),
        }
    }

    /// What the chain decides for `req`: the request to pass on (with its identity, if any),
    /// or the answer to send back.
    pub async fn decide(&self, req: Request<Body>) -> Result<Request<Body>, Response<Body>> {
        let path = req.uri().path();
        if self.inner.excluded.excludes(path) {
            return Ok(req);
        }
        if !self.inner.plugins.iter().any(|p| p.applies_to(path)) {
            return Ok(req);
        }
        let (mut parts, body) = req.into_parts();
        let id = parts.extensions.get::<RequestId>().cloned();
        let id_text = id.as_ref().map_or("-", RequestId::as_str);
        let bytes = match convert::read_body(
            body,
            self.inner.limits.max_request_body,
            self.inner.limits.read_timeout,
        )
        .await
        {
            Ok(bytes) => bytes,
            Err(BodyError::TooLarge) => {
                return Err(error_response(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "request body too large",
                    id.as_ref(),
                ))
            }
            Err(BodyError::Timeout) => {
                return Err(error_response(
                    StatusCode::REQUEST_TIMEOUT,
                    "the request body did not arrive in time",
                    id.as_ref(),
                ))
            }
            Err(BodyError::Read) => {
                return Err(error_response(
                    StatusCode::BAD_REQUEST,
                    "the request body could not be read",
                    id.as_ref(),
                ))
            }
        };
        // Before routing: no route, no path parameters, no identity yet.
        let host_request = match convert::host_request(&mut parts, &bytes, Vec::new()) {
            Ok(r) => Arc::new(r),
            Err(why) => return Err(error_response(StatusCode::BAD_REQUEST, &why, id.as_ref())),
        };

        let mut first_denial: Option<Denial> = None;
        let mut abstained = false;
        let mut challenges: Vec<HeaderValue> = Vec::new();
        for chained in self
            .inner
            .plugins
            .iter()
            .filter(|p| p.applies_to(&host_request.path))
        {
            let Some(ticket) = chained.admit() else {
                match chained.policy {
                    FailurePolicy::Closed => return Err(unavailable(id.as_ref())),
                    FailurePolicy::Open => continue,
                }
            };
            match chained.plugin.authenticate(Arc::clone(&host_request)).await {
                Ok(AuthOutcome::Allow(identity)) => {
                    ticket.success();
                    chained.stats.bump(&chained.stats.allowed);
                    parts.extensions.insert(Authenticated {
                        plugin: Arc::clone(&chained.name),
                        identity: Arc::new(identity),
                    });
                    convert::give_back_headers(&mut parts, host_request);
                    return Ok(Request::from_parts(parts, Body::from(bytes)));
                }
                Ok(AuthOutcome::Deny(denial)) => {
                    // The host has validated the denial; converted now, so that one that does
                    // not convert (past the `http` crate's own limits) is this plugin's failure.
                    if let Err(why) = convert::denial_response(&denial, &[], None) {
                        chained.failed(ticket, "authenticate", &why, id_text);
                        match chained.policy {
                            FailurePolicy::Closed => return Err(unavailable(id.as_ref())),
                            FailurePolicy::Open => continue,
                        }
                    }
                    ticket.success();
                    chained.stats.bump(&chained.stats.denied);
                    challenges.extend(convert::challenges(&denial));
                    first_denial.get_or_insert(denial);
                }
                Ok(AuthOutcome::Abstain) => {
                    ticket.success();
                    chained.stats.bump(&chained.stats.abstained);
                    abstained = true;
                }
                Err(err) => {
                    chained.errored(ticket, "authenticate", &err, id_text);
                    if chained.policy == FailurePolicy::Closed {
                        return Err(unavailable(id.as_ref()));
                    }
                }
            }
        }
        match first_denial {
            Some(denial) => Err(convert::denial_response(&denial, &challenges, id.as_ref())
                .unwrap_or_else(|_| unavailable(id.as_ref()))),
            None if abstained && self.inner.when_none_decides == WhenNoneDecides::Unauthorized => {
                Err(unauthorized(&self.inner.challenges, id.as_ref()))
            }
            // Every plugin that applies abstained (and the chain lets such requests through),
            // failed open or was passed over.
            None => {
                convert::give_back_headers(&mut parts, host_request);
                Ok(Request::from_parts(parts, Body::from(bytes)))
            }
        }
    }
}

/// The 401 for a request no plugin found credentials in.
fn unauthorized(challenges: &[HeaderValue], id: Option<&RequestId>) -> Response<Body> {
    let mut response = error_response(StatusCode::UNAUTHORIZED, "authentication required", id);
    for challenge in challenges {
        response
            .headers_mut()
            .append(axum::http::header::WWW_AUTHENTICATE, challenge.clone());
    }
    response
}

fn unavailable(id: Option<&RequestId>) -> Response<Body> {
    error_response(
        StatusCode::SERVICE_UNAVAILABLE,
        "authentication is unavailable",
        id,
    )
}

/// Runs an [`AuthChain`] before the service it wraps.
#[derive(Debug, Clone)]
pub struct AuthLayer {
    chain: AuthChain,
}

impl AuthLayer {
    /// The layer for `chain`.
    pub fn new(chain: AuthChain) -> Self {
        Self { chain }
    }
}

impl<S> Layer<S> for AuthLayer {
    type Service = AuthService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        AuthService {
            inner,
            chain: self.chain.clone(),
        }
    }
}

/// The service [`AuthLayer`] makes.
#[derive(Debug, Clone)]
pub struct AuthService<S> {
    inner: S,
    chain: AuthChain,
}

impl<S> Service<Request<Body>> for AuthService<S>
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
        // The ready service goes with this call; its clone waits for the next poll_ready.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let chain = self.chain.clone();
        Box::pin(async move {
            match chain.decide(req).await {
                Ok(req) => inner.call(req).await,
                Err(answer) => Ok(answer),
            }
        })
    }
}
