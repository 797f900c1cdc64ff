//! One generation's router: the route table with the response chain around each route (and
//! around the 404 of unmatched paths), the admin endpoints, the auth chain in front, and the
//! per-route request counter outermost.

use std::path::Path;
use std::sync::Weak;

use axum::body::Body;
use axum::extract::{MatchedPath, Request};
use axum::http::{Response, StatusCode};
use axum::middleware::{self, Next};
use axum::Router;
use mockforge_component_http::{AuthChain, ResponseChain};
use tower::service_fn;

use crate::config::ServerConfig;
use crate::state::Shared;

/// The router of one generation.
pub(crate) fn router(
    config: &ServerConfig,
    base_dir: &Path,
    auth: &AuthChain,
    responses: &ResponseChain,
    shared: Weak<Shared>,
) -> Result<Router, String> {
    let routes = crate::routes::route_table(&config.routes, base_dir)?;
    let not_found = service_fn(|_req: Request| async {
        let mut resp = Response::new(Body::from(r#"{"error":"no route matches"}"#));
        *resp.status_mut() = StatusCode::NOT_FOUND;
        resp.headers_mut().insert(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/json"),
        );
        Ok::<_, std::convert::Infallible>(resp)
    });
    let has_routes = !config.routes.is_empty();
    let mut app = routes;
    if has_routes {
        app = app.route_layer(responses.layer());
    }
    let app = app
        .fallback_service(tower::Layer::layer(&responses.layer(), not_found))
        .merge(crate::admin::router(shared.clone()))
        .layer(auth.layer())
        .layer(middleware::from_fn_with_state(shared, count_request));
    Ok(app)
}

/// Counts every answered request by route template, method and status.
async fn count_request(
    axum::extract::State(shared): axum::extract::State<Weak<Shared>>,
    req: Request,
    next: Next,
) -> Response<Body> {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |m| m.as_str().to_owned());
    let method = req.method().as_str().to_owned();
    let resp = next.run(req).await;
    if let Some(shared) = shared.upgrade() {
        shared
            .metrics
            .request(&route, &method, resp.status().as_u16());
    }
    resp
}
