//! The admin endpoints under `/__mockforge/`: the plugins with their state, Prometheus
//! metrics, reload, health. `/health` answers too. The auth chain skips these paths by default.

use std::sync::Weak;
use std::time::UNIX_EPOCH;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use crate::state::Shared;

/// The admin routes.
pub(crate) fn router(shared: Weak<Shared>) -> Router {
    Router::new()
        .route("/__mockforge/plugins", get(plugins))
        .route("/__mockforge/metrics", get(metrics))
        .route("/__mockforge/reload", post(reload))
        .route("/__mockforge/health", get(health))
        .route("/health", get(health))
        .with_state(shared)
}

async fn health() -> impl IntoResponse {
    Json(json!({ "status": "ok" }))
}

fn gone() -> axum::response::Response {
    (StatusCode::SERVICE_UNAVAILABLE, "shutting down").into_response()
}

async fn plugins(State(shared): State<Weak<Shared>>) -> axum::response::Response {
    let Some(shared) = shared.upgrade() else {
        return gone();
    };
    let generation = shared.current();
    let plugins: Vec<_> = generation
        .plugins
        .iter()
        .map(|p| {
            let chained = &p.chained;
            let info = chained.plugin().info();
            let metrics = chained.plugin().metrics();
            let mut chains = Vec::new();
            if info.kind.authenticates() {
                chains.push("auth");
            }
            if info.kind.responds() {
                chains.push("response");
            }
            json!({
                "name": info.name,
                "version": info.version,
                "kind": info.kind.to_string(),
                "description": info.description,
                "folder": p.dir.display().to_string(),
                "endpoint": info.endpoint,
                "world": info.world,
                "chains": chains,
                "paths": p.entry.paths,
                "on_failure": format!("{:?}", p.entry.on_failure).to_lowercase(),
                "breaker": {
                    "state": chained.breaker_state().as_str(),
                    "opened": chained.breaker_handle().opened(),
                },
                "outcomes": chained.stats_handle().counters().iter()
                    .map(|(k, v)| (k.to_string(), json!(v)))
                    .collect::<serde_json::Map<_, _>>(),
                "calls": metrics.calls,
                "errors": metrics.errors,
                "warm_instances": chained.plugin().warm_instances(),
                "retired_instances": metrics.retired_instances,
                "limits": info.limits,
                "load_ms": info.load_time.as_secs_f64() * 1e3,
                "manifest": info.manifest,
                "unmapped_manifest_keys": info.unmapped_manifest_keys,
                "artifact": info.artifact,
            })
        })
        .collect();
    let built = generation
        .built_at
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Json(json!({
        "generation": generation.number,
        "built_at_unix": built,
        "reload": shared.status(),
        "plugins": plugins,
    }))
    .into_response()
}

async fn metrics(State(shared): State<Weak<Shared>>) -> axum::response::Response {
    let Some(shared) = shared.upgrade() else {
        return gone();
    };
    (
        [(header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE)],
        shared.metrics.render(),
    )
        .into_response()
}

async fn reload(State(shared): State<Weak<Shared>>) -> axum::response::Response {
    let Some(shared) = shared.upgrade() else {
        return gone();
    };
    match shared.reload().await {
        Ok(generation) => {
            Json(json!({ "reloaded": true, "generation": generation })).into_response()
        }
        Err(error) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({
                "reloaded": false,
                "generation": shared.current().number,
                "error": error,
            })),
        )
            .into_response(),
    }
}
