//! Per-call cost of the host against native Rust, in one run: a trivial auth plugin and
//! auth-jwt, each as a native function (the floor), a reused (pooled) instance, and a fresh
//! instance per call; plus instantiation alone, and compile versus cached load.
//!
//! Run with `just bench`; figures and ratios are in BENCHMARKS.md.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use mockforge_component_benches::{
    host, jwt_token, load, native_jwt, native_trivial, plugin_dir, sample_request,
};
use mockforge_component_host::{AuthOutcome, InstanceStrategy, Request};
use tokio::runtime::Runtime;

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn expect_allow(outcome: AuthOutcome) {
    assert!(matches!(outcome, AuthOutcome::Allow(_)), "{outcome:?}");
}

fn per_call(
    c: &mut Criterion,
    plugin: &str,
    authorization: &str,
    native: fn(&Request) -> AuthOutcome,
) {
    let rt = runtime();
    let host = host(None);
    let reused = rt.block_on(load(&host, plugin, InstanceStrategy::Pooled));
    let fresh = rt.block_on(load(&host, plugin, InstanceStrategy::Fresh));
    let request = Arc::new(sample_request(authorization));
    expect_allow(native(&request));
    expect_allow(rt.block_on(reused.authenticate(request.clone())).unwrap());
    expect_allow(rt.block_on(fresh.authenticate(request.clone())).unwrap());

    let mut group = c.benchmark_group(format!("per_call/{plugin}"));
    group.bench_function("native", |b| b.iter(|| native(black_box(&request))));
    group.bench_function("reused_instance", |b| {
        b.to_async(&rt)
            .iter(|| async { reused.authenticate(request.clone()).await.unwrap() })
    });
    group.bench_function("fresh_instance", |b| {
        b.to_async(&rt)
            .iter(|| async { fresh.authenticate(request.clone()).await.unwrap() })
    });
    group.finish();
}

fn trivial(c: &mut Criterion) {
    per_call(c, "auth-trivial", "Bearer good", native_trivial);
}

fn jwt(c: &mut Criterion) {
    let authorization = format!("Bearer {}", jwt_token());
    let leaked: &'static str = Box::leak(authorization.into_boxed_str());
    per_call(c, "auth-jwt", leaked, |request| {
        native_jwt(request, 1_700_000_000)
    });
}

fn instantiate(c: &mut Criterion) {
    let rt = runtime();
    let host = host(None);
    let mut group = c.benchmark_group("instantiate");
    for name in ["auth-trivial", "auth-jwt"] {
        let plugin = rt.block_on(load(&host, name, InstanceStrategy::Fresh));
        group.bench_function(name, |b| {
            b.to_async(&rt)
                .iter(|| async { plugin.probe().await.unwrap() })
        });
    }
    group.finish();
}

fn load_component(c: &mut Criterion) {
    let rt = runtime();
    let cache = std::env::temp_dir().join(format!("mf-bench-cache-{}", std::process::id()));
    let uncached = host(None);
    let cached = host(Some(cache.clone()));
    let mut group = c.benchmark_group("load");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    for name in ["auth-trivial", "auth-jwt"] {
        let dir = plugin_dir(name);
        rt.block_on(cached.load(&dir)).unwrap();
        group.bench_function(format!("{name}/compile"), |b| {
            b.to_async(&rt)
                .iter(|| async { uncached.load(&dir).await.unwrap() })
        });
        group.bench_function(format!("{name}/cached"), |b| {
            b.to_async(&rt)
                .iter(|| async { cached.load(&dir).await.unwrap() })
        });
    }
    group.finish();
    let _ = std::fs::remove_dir_all(cache);
}

criterion_group!(benches, trivial, jwt, instantiate, load_component);
criterion_main!(benches);
