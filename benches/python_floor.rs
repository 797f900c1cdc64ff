//! Where a warm Python auth call goes, step by step, in one run: four probes built with
//! componentize-py without the SDK (`benches/python-probes/`: an empty call, then answering
//! with an identity, then reading the `authorization` header, then handing the token to the
//! host's `jwt-verifier`), the Python auth-jwt example (SDK and plugin code on top of step 4),
//! and the Rust auth-jwt as the baseline. Each row is a warm (pooled) instance called with the
//! benches' HS256 request; every call must be allowed (the first probe's, abstained).
//!
//! Besides criterion's estimate, each row's calls are timed one by one in three rounds, the
//! rows taking turns (this machine has slow spells that double a median), and a table at the
//! end gives each row's fastest call, lowest p10 and median, what each step adds to the one
//! before, and each median as a ratio to the Rust plugin's.
//!
//! Run with `just bench-python-floor` (it builds the probes and the plugins first).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use mockforge_component_benches::{
    host, jwt_token, load_dir, quantile, sample_request, staged_plugins, timed_calls,
};
use mockforge_component_host::{AuthOutcome, InstanceStrategy, Plugin, Request};
use tokio::runtime::Runtime;

/// The rows, in order: their name, where `just bench-python-floor` stages them, and whether
/// their answer is an identity (the first probe abstains).
fn rows() -> Vec<(&'static str, PathBuf, bool)> {
    let probes = staged_plugins().join("../plugins-probes/python");
    vec![
        ("1 empty call (abstain)", probes.join("abstain"), false),
        ("2 + an identity answered", probes.join("allow"), true),
        ("3 + one header read", probes.join("header"), true),
        ("4 + the host's verifier", probes.join("verify"), true),
        (
            "5 python auth-jwt (SDK)",
            staged_plugins().join("python/auth-jwt"),
            true,
        ),
        (
            "rust auth-jwt",
            staged_plugins().join("rust/auth-jwt"),
            true,
        ),
    ]
}

/// One warm call, which must allow the request (or abstain, for the first probe).
async fn call(plugin: &Plugin, request: &Arc<Request>, allows: bool) {
    let outcome = plugin.authenticate(request.clone()).await.expect("call");
    let expected = match allows {
        true => matches!(outcome, AuthOutcome::Allow(_)),
        false => matches!(outcome, AuthOutcome::Abstain),
    };
    assert!(expected, "{}: {outcome:?}", plugin.name());
}

/// How many rounds each row's calls are timed in (the rows take turns, so that a slow spell
/// of the machine falls on every row); a row keeps its fastest call, and the lowest of the
/// rounds' p10s and medians.
const ROUNDS: usize = 3;

/// Calls timed one by one in each round, after [`WARM_UP`] untimed ones.
const CALLS: usize = 2_000;

/// Untimed calls before each round.
const WARM_UP: usize = 300;

/// The fastest call, p10 and median of one round of one row.
fn round(rt: &Runtime, plugin: &Plugin, request: &Arc<Request>, allows: bool) -> [Duration; 3] {
    let sorted = timed_calls(rt, WARM_UP, CALLS, || call(plugin, request, allows));
    [sorted[0], quantile(&sorted, 0.1), quantile(&sorted, 0.5)]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn python_floor(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let host = host(Some(staged_plugins().join("../bench-artifact-cache")));
    let request = Arc::new(sample_request(&format!("Bearer {}", jwt_token())));
    let mut group = c.benchmark_group("python_floor");
    group.sample_size(30);
    let mut loaded = Vec::new();
    for (name, dir, allows) in rows() {
        assert!(
            dir.join("plugin.toml").is_file(),
            "{} is not staged: run `just bench-python-floor`",
            dir.display()
        );
        let plugin = rt.block_on(load_dir(&host, &dir, InstanceStrategy::Pooled));
        rt.block_on(call(&plugin, &request, allows));
        group.bench_function(name, |b| {
            b.to_async(&rt).iter(|| call(&plugin, &request, allows))
        });
        loaded.push((name, plugin, allows));
    }
    group.finish();

    let mut table: Vec<(&str, [Duration; 3])> = loaded
        .iter()
        .map(|(name, _, _)| (*name, [Duration::MAX; 3]))
        .collect();
    for _ in 0..ROUNDS {
        for ((_, plugin, allows), (_, best)) in loaded.iter().zip(table.iter_mut()) {
            let this_round = round(&rt, plugin, &request, *allows);
            for (b, r) in best.iter_mut().zip(this_round) {
                *b = (*b).min(r);
            }
        }
    }

    let rust_p50 = table.last().map_or(f64::NAN, |(_, t)| micros(t[2]));
    println!("\nwarm calls timed one by one ({ROUNDS} rounds of {CALLS} each; the fastest call, the lowest p10 and p50 of the rounds), µs:");
    println!("| row | min | p10 | p50 | added by the step: min, p50 | p50 / rust auth-jwt |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    let mut previous: Option<[Duration; 3]> = None;
    for (name, summary) in &table {
        let [min, p10, p50] = summary.map(micros);
        let added = match previous {
            Some([before_min, _, before_p50]) if !name.starts_with("rust") => format!(
                "{:+.1}, {:+.1}",
                min - micros(before_min),
                p50 - micros(before_p50)
            ),
            _ => String::new(),
        };
        println!(
            "| {name} | {min:.1} | {p10:.1} | {p50:.1} | {added} | {:.1}x |",
            p50 / rust_p50
        );
        previous = Some(*summary);
    }
}

criterion_group!(benches, python_floor);
criterion_main!(benches);
