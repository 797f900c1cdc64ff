//! This host against its peers, in one criterion run: the same trivial auth logic (allow iff
//! header `authorization` is `Bearer good`) on the 8-header GET of `sample_request`, as
//!
//! - `native`: a native Rust function (the floor);
//! - `bare_reused` / `bare_fresh`: the auth-trivial component through a bare
//!   `wasmtime::component::bindgen!` (wasmtime 48 alone: peers/bare.rs), one instance reused,
//!   and a new one per call from the pooling allocator and an `InstancePre`;
//! - `host_pooled` / `host_fresh`: the same component through this host's public API
//!   (`Plugin::authenticate`, `InstanceStrategy::Pooled` with one warm instance, and `Fresh`);
//! - `extism_reused` / `extism_fresh`: the same logic as an Extism plugin (extism 1.30 on
//!   wasmtime 43: peers/extism_peer.rs), one plugin reused, and a new plugin per call from a
//!   `CompiledPlugin`; each with the request encoded as JSON and the output decoded;
//! - `extism_json_codec`: that encoding and decoding alone.
//!
//! Every row must give the native function's verdicts (allow `Bearer good`, deny another)
//! before it is timed. Run with `just bench-peers`, which builds the plugins first (the
//! Extism plugin into target/peers/extism-auth-trivial.wasm) and prints the table of
//! BENCHMARKS.md with benches/peers_report.py. The Extism rows need the feature
//! `extism-peer` (it brings wasmtime 43); without it the bench has the other rows, and `just
//! lint` builds it that way, so that it keeps up with the host and the contract.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use mockforge_component_benches::{host, load, native_trivial, plugin_dir, sample_request};
use mockforge_component_host::{AuthOutcome, InstanceStrategy, Request};
use tokio::runtime::Runtime;

#[path = "peers/bare.rs"]
mod bare;
#[cfg(feature = "extism-peer")]
#[path = "peers/extism_peer.rs"]
mod extism_peer;
#[cfg(feature = "extism-peer")]
#[path = "peers/extism_wire.rs"]
mod extism_wire;
#[path = "peers/pool.rs"]
mod pool;

/// The criterion group every row belongs to (benches/peers_report.py reads it).
const GROUP: &str = "peers/auth-trivial";

/// Where `just bench-peers` stages the Extism plugin: beside the staged component plugins,
/// not among them (it is no plugin of this host).
#[cfg(feature = "extism-peer")]
fn extism_plugin() -> std::path::PathBuf {
    let path =
        mockforge_component_benches::staged_plugins().join("../peers/extism-auth-trivial.wasm");
    assert!(
        path.is_file(),
        "{} is missing: run `just bench-peers`",
        path.display()
    );
    path
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// Checks that `row` answers both requests as the native function does.
fn same_verdicts(
    row: &str,
    requests: &[Arc<Request>],
    mut call: impl FnMut(&Arc<Request>) -> AuthOutcome,
) {
    for request in requests {
        assert_eq!(
            call(request),
            native_trivial(request),
            "{row} disagrees with the native function on {:?}",
            request.header("authorization")
        );
    }
}

fn peers(c: &mut Criterion) {
    let rt = runtime();
    let component = std::fs::read(plugin_dir("auth-trivial").join("plugin.wasm"))
        .expect("the auth-trivial component");

    let host = host(None);
    let host_pooled = rt.block_on(load(&host, "auth-trivial", InstanceStrategy::Pooled));
    let host_fresh = rt.block_on(load(&host, "auth-trivial", InstanceStrategy::Fresh));
    let mut bare_reused = bare::BareReused::new(&component).expect("bare reused instance");
    let bare_fresh = bare::BareFresh::new(&component).expect("bare fresh instances");

    let request = Arc::new(sample_request("Bearer good"));
    let checked = [request.clone(), Arc::new(sample_request("Bearer bad"))];
    assert!(matches!(native_trivial(&request), AuthOutcome::Allow(_)));
    same_verdicts("bare_reused", &checked, |r| {
        bare_reused.authenticate(r).unwrap()
    });
    same_verdicts("bare_fresh", &checked, |r| {
        bare_fresh.authenticate(r).unwrap()
    });
    same_verdicts("host_pooled", &checked, |r| {
        rt.block_on(host_pooled.authenticate(r.clone())).unwrap()
    });
    same_verdicts("host_fresh", &checked, |r| {
        rt.block_on(host_fresh.authenticate(r.clone())).unwrap()
    });

    let mut group = c.benchmark_group(GROUP);
    group.bench_function("native", |b| b.iter(|| native_trivial(black_box(&request))));
    group.bench_function("bare_reused", |b| {
        b.iter(|| bare_reused.authenticate(black_box(&request)).unwrap())
    });
    group.bench_function("bare_fresh", |b| {
        b.iter(|| bare_fresh.authenticate(black_box(&request)).unwrap())
    });
    group.bench_function("host_pooled", |b| {
        b.to_async(&rt)
            .iter(|| async { host_pooled.authenticate(request.clone()).await.unwrap() })
    });
    group.bench_function("host_fresh", |b| {
        b.to_async(&rt)
            .iter(|| async { host_fresh.authenticate(request.clone()).await.unwrap() })
    });
    #[cfg(feature = "extism-peer")]
    extism_rows(&mut group, &request, &checked);
    group.finish();
}

/// The Extism rows of the group, checked against the native function first.
#[cfg(feature = "extism-peer")]
fn extism_rows(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    request: &Arc<Request>,
    checked: &[Arc<Request>],
) {
    let extism_wasm = std::fs::read(extism_plugin()).expect("the Extism plugin");
    let mut extism_reused =
        extism_peer::ExtismReused::new(&extism_wasm).expect("Extism reused plugin");
    let extism_fresh = extism_peer::ExtismFresh::new(&extism_wasm).expect("Extism fresh plugins");
    same_verdicts("extism_reused", checked, |r| {
        extism_reused.authenticate(r).unwrap()
    });
    same_verdicts("extism_fresh", checked, |r| {
        extism_fresh.authenticate(r).unwrap()
    });
    // What the Extism plugin answers to `request`, for the codec row.
    let extism_output = br#"{"allow":{"subject":"good"}}"#;
    assert_eq!(
        extism_wire::decode(extism_output).unwrap(),
        native_trivial(request)
    );

    group.bench_function("extism_reused", |b| {
        b.iter(|| extism_reused.authenticate(black_box(request)).unwrap())
    });
    group.bench_function("extism_fresh", |b| {
        b.iter(|| extism_fresh.authenticate(black_box(request)).unwrap())
    });
    group.bench_function("extism_json_codec", |b| {
        b.iter(|| {
            let input = extism_wire::encode(black_box(request)).unwrap();
            black_box(input);
            extism_wire::decode(black_box(extism_output)).unwrap()
        })
    });
}

criterion_group!(benches, peers);
criterion_main!(benches);
