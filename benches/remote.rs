//! Remote plugins on loopback: per-call latency (p50/p95/p99) and requests per second,
//! sequential and at concurrency 32, against the Python SDK's example under uvicorn and
//! against a minimal hyper server, so that host cost and Python cost can be told apart.
//!
//! Needs `bash guests/python/setup.sh`. The percentile table is printed first; criterion
//! then measures the mean per call. Run with `cargo bench -p mockforge-component-benches --bench remote`.

use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion};
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use mockforge_component_host::{
    AuthOutcome, HostConfig, Manifest, Plugin, PluginHost, PluginKind, Request,
};
use mockforge_component_testkit::{free_port, ChildProcess, RemoteExamples};
use tokio::runtime::Runtime;

const SECRET: &str = "bench-secret";
const CONCURRENCY: usize = 32;
const SEQUENTIAL_CALLS: usize = 2_000;
const CONCURRENT_CALLS: usize = 8_000;

/// The Python SDK's `trivial_auth` example under uvicorn on `port`.
fn uvicorn(port: u16) -> ChildProcess {
    // `just` points PYTHON at the checkout's virtual environment, where setup.sh installs uvicorn.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    RemoteExamples::of_checkout(&root)
        .and_then(|examples| examples.uvicorn("trivial_auth", port, SECRET, &[]))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The smallest remote: answers every request with the same `allow`.
fn rust_remote(rt: &Runtime) -> u16 {
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    rt.spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let service = service_fn(|_request| async {
                    Ok::<_, Infallible>(hyper::Response::new(Full::new(Bytes::from_static(
                        br#"{"outcome":"allow","identity":{"subject":"good"}}"#,
                    ))))
                });
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    port
}

fn plugin(rt: &Runtime, port: u16) -> Plugin {
    let mut manifest = Manifest::remote(
        "bench",
        PluginKind::Auth,
        format!("http://127.0.0.1:{port}"),
    );
    let settings = manifest.remote_settings_mut().unwrap();
    settings.secret = Some(SECRET.into());
    settings.max_concurrency = Some(CONCURRENCY as u32);
    settings.timeout_ms = Some(5_000);
    let host = PluginHost::new(HostConfig::default().cache_dir(None)).expect("host");
    rt.block_on(host.load_remote(manifest)).expect("loads")
}

fn request() -> Arc<Request> {
    Arc::new(Request::new("GET", "/orders").with_header("authorization", "Bearer good"))
}

async fn call(plugin: &Plugin, request: Arc<Request>) -> Duration {
    let started = Instant::now();
    let outcome = plugin.authenticate(request).await.expect("a verdict");
    assert!(matches!(outcome, AuthOutcome::Allow(_)), "{outcome:?}");
    started.elapsed()
}

/// Latencies of `calls` calls made by `concurrency` tasks, and the wall time they took.
async fn measure(plugin: &Plugin, calls: usize, concurrency: usize) -> (Vec<Duration>, Duration) {
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let plugin = plugin.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(calls / concurrency);
                for _ in 0..calls / concurrency {
                    latencies.push(call(&plugin, request()).await);
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(calls);
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    (latencies, started.elapsed())
}

fn report(rt: &Runtime, name: &str, plugin: &Plugin) {
    rt.block_on(measure(plugin, 200, 1));
    for (mode, calls, concurrency) in [
        ("sequential", SEQUENTIAL_CALLS, 1),
        ("concurrency 32", CONCURRENT_CALLS, CONCURRENCY),
    ] {
        let (mut latencies, wall) = rt.block_on(measure(plugin, calls, concurrency));
        latencies.sort();
        let at =
            |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "remote/{name:<6} {mode:<15} p50 {:>6.3} ms  p95 {:>6.3} ms  p99 {:>6.3} ms  {:>7.0} req/s",
            ms(at(0.50)),
            ms(at(0.95)),
            ms(at(0.99)),
            latencies.len() as f64 / wall.as_secs_f64()
        );
    }
}

fn remote(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let python_port = free_port();
    let _python = uvicorn(python_port);
    let targets = [
        ("python", plugin(&rt, python_port)),
        ("rust", plugin(&rt, rust_remote(&rt))),
    ];
    for (name, plugin) in &targets {
        report(&rt, name, plugin);
    }
    for (name, plugin) in &targets {
        let mut group = c.benchmark_group(format!("remote/{name}"));
        group.bench_function("sequential", |b| {
            b.to_async(&rt).iter(|| call(plugin, request()))
        });
        group.bench_function("concurrency_32", |b| {
            b.to_async(&rt).iter_custom(|iters| async move {
                let calls = (iters as usize).max(CONCURRENCY);
                let (_, wall) = measure(plugin, calls - calls % CONCURRENCY, CONCURRENCY).await;
                wall
            })
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    targets = remote
}
criterion_main!(benches);
