//! The server's own cost per request, without sockets: one generation's router (auth chain,
//! route table, response chain, request counter) called in-process with the benchmark request,
//! with no plugin (the floor), auth-trivial and auth-jwt (fresh and pooled), and
//! response-template. The difference to the floor is what the plugin path adds to a request;
//! `server_load` measures the same servers over loopback HTTP.
//!
//! Run with `just bench-server`; figures and ratios are in BENCHMARKS.md.

use axum::body::Body;
use axum::http::Request;
use criterion::{criterion_group, criterion_main, Criterion};
use http_body_util::BodyExt;
use mockforge_component_benches::{server_bench_config, server_scenarios, SERVER_BENCH_HEADERS};
use mockforge_component_host::{HostConfig, PluginHost};
use mockforge_component_server::config::ServerConfig;
use mockforge_component_server::{ServeOptions, Server};
use tower::ServiceExt;

/// The benchmark request as a client sends it (the headers of `server_load`).
fn request(authorization: Option<&str>) -> Request<Body> {
    let mut builder = Request::get("/api/orders/42").header("host", "127.0.0.1");
    if let Some(value) = authorization {
        builder = builder.header("authorization", value);
    }
    for (name, value) in SERVER_BENCH_HEADERS {
        builder = builder.header(name, value);
    }
    builder.body(Body::empty()).expect("a valid request")
}

fn router(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let scratch = std::env::temp_dir().join(format!("mf-router-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch folder");
    let host = rt.block_on(async {
        PluginHost::new(HostConfig::default().cache_dir(Some(scratch.join("cache")))).expect("host")
    });
    let scenarios = server_scenarios(&scratch);
    let mut group = c.benchmark_group("server_router");
    for scenario in &scenarios {
        let (name, authorization) = (scenario.name, scenario.authorization.as_deref());
        let server = rt
            .block_on(Server::start(
                host.clone(),
                ServeOptions {
                    config: ServerConfig::parse(
                        &server_bench_config(scenario.plugin.as_deref()),
                        "bench",
                    )
                    .expect("the bench configuration parses"),
                    config_path: None,
                    base_dir: scratch.clone(),
                    listen: Some("127.0.0.1:0".parse().expect("an address")),
                },
            ))
            .expect("the server starts");
        let generation = server.shared().current();
        let call = || {
            let router = generation.router.clone();
            let req = request(authorization);
            async move {
                let resp = router.oneshot(req).await.expect("infallible");
                assert_eq!(resp.status(), 200, "{name}");
                resp.into_body().collect().await.expect("a body").to_bytes()
            }
        };
        rt.block_on(call());
        group.bench_function(name, |b| b.to_async(&rt).iter(call));
        rt.block_on(server.shutdown());
    }
    group.finish();
    let _ = std::fs::remove_dir_all(scratch);
}

criterion_group!(benches, router);
criterion_main!(benches);
