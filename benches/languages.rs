//! The same plugins in every guest language, in one run: for each language staged under
//! target/plugins (`just build-guests` stages them) and each of auth-trivial, auth-jwt and
//! response-template, the load from the compiled-artifact cache, instantiation alone, a call on
//! a warm (reused) instance and a call on a fresh instance. A language or plugin that is not
//! staged is named on stderr and skipped.
//!
//! Run with `cargo bench -p mockforge-component-benches --bench languages`, then
//! `python3 benches/report.py` for the per-language tables (ratios to the Rust plugin).
//! Components are compiled once into target/bench-artifact-cache; the first run compiles the
//! large ones (Python and JavaScript take seconds each).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion};
use mockforge_component_benches::{
    host, jwt_token, load_dir, quantile, sample_request, staged_plugins, timed_calls,
};
use mockforge_component_host::{AuthOutcome, InstanceStrategy, Plugin, PluginHost, Request};
use tokio::runtime::Runtime;

/// The plugins every language ships, in the order of the report.
const PLUGINS: [&str; 3] = ["auth-trivial", "auth-jwt", "response-template"];

/// Where the compiled components are kept between runs.
fn cache_dir() -> PathBuf {
    staged_plugins().join("../bench-artifact-cache")
}

/// The staged languages, in name order, each language's frozen 0.1 plugins as `<language>@0.1`
/// (staged in `<language>/0.1/`).
fn languages() -> Vec<String> {
    let root = staged_plugins();
    let mut found: Vec<String> = std::fs::read_dir(&root)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok())
                .filter(|entry| entry.path().is_dir())
                .filter_map(|entry| entry.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    // A language's frozen contract-0.1 plugins (`<language>/0.1/`), served by the same host:
    // what a 0.1 plugin costs beside its 0.2 successor.
    let frozen: Vec<String> = found
        .iter()
        .filter(|language| root.join(language).join("0.1").is_dir())
        .map(|language| format!("{language}@0.1"))
        .collect();
    found.extend(frozen);
    found.sort();
    if found.is_empty() {
        eprintln!(
            "note: no language is staged under {}: run `just build-guests`",
            root.display()
        );
    }
    found
}

/// The request each plugin is benchmarked with; every one of them must be answered
/// positively (allowed, or responded to).
fn request_for(plugin: &str) -> Request {
    match plugin {
        "auth-jwt" => sample_request(&format!("Bearer {}", jwt_token())),
        // The route of every response-template manifest is `/users/{id}`; contract-0.2
        // plugins read the route the host matched, 0.1 ones match the path themselves.
        "response-template" => Request {
            path: "/users/42".into(),
            ..sample_request("Bearer good")
        }
        .with_route("/users/{id}", [("id".to_owned(), "42".to_owned())]),
        _ => sample_request("Bearer good"),
    }
}

/// Calls whatever the plugin offers and checks that the answer is the positive one.
async fn call(plugin: &Plugin, request: &Arc<Request>) {
    if plugin.info().kind.authenticates() {
        let outcome = plugin.authenticate(request.clone()).await.expect("call");
        assert!(
            matches!(outcome, AuthOutcome::Allow(_)),
            "{}: {outcome:?}",
            plugin.name()
        );
    } else {
        let response = plugin.respond(request.clone()).await.expect("call");
        assert!(response.is_some(), "{}: declined", plugin.name());
    }
}

fn bench_plugin(
    group: &mut BenchmarkGroup<'_, WallTime>,
    rt: &Runtime,
    host: &PluginHost,
    dir: &Path,
    language: &str,
    plugin: &str,
) {
    let request = Arc::new(request_for(plugin));
    // The first load compiles the component into the cache when it is not there yet.
    let warm = rt.block_on(load_dir(host, dir, InstanceStrategy::Pooled));
    let fresh = rt.block_on(load_dir(host, dir, InstanceStrategy::Fresh));
    rt.block_on(call(&warm, &request));
    rt.block_on(call(&fresh, &request));

    // A Python or JavaScript load takes milliseconds: ten samples suffice, and keep the whole
    // matrix within a few minutes.
    group.sample_size(10);
    group.bench_function("cached_load", |b| {
        b.to_async(rt)
            .iter(|| async { host.load(dir).await.expect("plugin loads") })
    });
    group.sample_size(30);
    group.bench_function("instantiate", |b| {
        b.to_async(rt)
            .iter(|| async { fresh.probe().await.expect("instantiates") })
    });
    group.bench_function("warm_call", |b| {
        b.to_async(rt).iter(|| call(&warm, &request))
    });
    record_per_call(rt, &warm, &request, language, plugin);
    group.bench_function("fresh_call", |b| {
        b.to_async(rt).iter(|| call(&fresh, &request))
    });
}

/// Warm calls timed one by one, for their percentiles: criterion's estimate is of the mean
/// time of batches of calls, which a tail of slow calls (an interpreter's collections, an
/// epoch tick's yield) pulls above the median call. Written to
/// target/criterion/per-call/<language>/<plugin>.json for benches/report.py.
fn record_per_call(
    rt: &Runtime,
    plugin: &Plugin,
    request: &Arc<Request>,
    language: &str,
    name: &str,
) {
    const WARM_UP: usize = 500;
    const CALLS: usize = 5_000;
    let samples = timed_calls(rt, WARM_UP, CALLS, || call(plugin, request));
    let at = |q: f64| quantile(&samples, q).as_nanos();
    let json = format!(
        "{{\"calls\": {CALLS}, \"p50_ns\": {}, \"p90_ns\": {}, \"p99_ns\": {}}}\n",
        at(0.5),
        at(0.9),
        at(0.99)
    );
    let out = staged_plugins()
        .join("../criterion/per-call")
        .join(language)
        .join(format!("{name}.json"));
    let written = out
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(&out, json));
    if let Err(err) = written {
        eprintln!("note: cannot write {}: {err}", out.display());
    }
}

fn languages_bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    // MOCKFORGE_BENCH_PERF_MAP=1 names the guests' functions in a profile of this bench.
    let host = host(Some(cache_dir()));
    for language in languages() {
        for plugin in PLUGINS {
            let dir = staged_plugins()
                .join(language.replace('@', "/"))
                .join(plugin);
            if !dir.join("plugin.toml").is_file() {
                eprintln!(
                    "note: {language}/{plugin} is not staged ({}): skipped",
                    dir.display()
                );
                continue;
            }
            let mut group = c.benchmark_group(format!("languages/{language}/{plugin}"));
            bench_plugin(&mut group, &rt, &host, &dir, &language, plugin);
            group.finish();
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_millis(1500))
        .without_plots();
    targets = languages_bench
}
criterion_main!(benches);
