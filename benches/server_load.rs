//! Throughput and latency of the live mock server on loopback (`just bench-server`): the
//! server with no plugin (the floor), with auth-trivial and auth-jwt (fresh and pooled), with
//! response-template; each at concurrency 1, 32 and 256, as a ratio to the no-plugin server in
//! the same run. Then p99 with a plugin reload every second against p99 without reloads.
//!
//! The load generator is in this process (hyper's client on its own runtime thread): on 2
//! cores client and server share the machine, as oha or wrk would. The server runs on two
//! tokio workers with mimalloc, as `mfplugin serve` does. Each row also gives the CPU time of
//! the server's threads per request. Figures go to stdout and to target/server-bench.json;
//! benches/report.py does not read them.
//!
//! To profile one row, `MOCKFORGE_BENCH_PROFILE=<row name> <bench binary> --bench` loads only
//! that server, at concurrency 32 for `MOCKFORGE_BENCH_SECONDS` (default 10) after a
//! warm-up, prints its rate and server CPU per request, and exits: run it under
//! `perf record` and divide the samples by the requests.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use mockforge_component_benches::{
    jwt_token, pooled_copy, server_bench_config, server_scenarios, SERVER_BENCH_HEADERS,
};
use mockforge_component_host::{HostConfig, PluginHost};
use mockforge_component_server::config::ServerConfig;
use mockforge_component_server::{ServeOptions, Server};

/// The allocator `mfplugin` serves with (see its main.rs), so that the figures are the
/// server's as shipped.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How long each row is measured in one round (after a warm-up of a fifth of it).
const ROUND: Duration = Duration::from_millis(800);
/// Rounds per row: many short rounds, so that a row and the no-plugin server are measured
/// close together in time again and again (the machine is shared; its speed drifts).
const ROUNDS: usize = 7;
/// How long each half of the reload comparison is measured.
const MEASURE: Duration = Duration::from_secs(4);
const CONCURRENCY: [usize; 3] = [1, 32, 256];

struct Row {
    name: String,
    concurrency: usize,
    requests: usize,
    errors: usize,
    per_second: f64,
    /// The median over the rounds of this row's rate divided by the no-plugin server's rate
    /// in the same round.
    ratio: f64,
    p50: Duration,
    p99: Duration,
    /// CPU time of the server's threads per request.
    server_cpu: Duration,
}

fn config(plugin: Option<&Path>) -> ServerConfig {
    ServerConfig::parse(&server_bench_config(plugin), "bench").unwrap()
}

async fn start(host: &PluginHost, plugin: Option<&Path>) -> Server {
    Server::start(
        host.clone(),
        ServeOptions {
            config: config(plugin),
            config_path: None,
            base_dir: std::env::temp_dir(),
            listen: Some("127.0.0.1:0".parse().unwrap()),
        },
    )
    .await
    .expect("the server starts")
}

/// Runs `concurrency` loops of requests for `measure` on the client runtime.
fn load(
    client_rt: &tokio::runtime::Runtime,
    addr: std::net::SocketAddr,
    path: &'static str,
    authorization: Option<String>,
    concurrency: usize,
    measure: Duration,
) -> (Vec<Duration>, usize, f64) {
    client_rt.block_on(async move {
        let client: Client<_, Empty<Bytes>> = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(concurrency)
            .build_http();
        let uri: hyper::Uri = format!("http://{addr}{path}").parse().unwrap();
        let authorization = Arc::new(authorization);
        let run = |until: Instant| {
            let mut tasks = Vec::new();
            for _ in 0..concurrency {
                let (client, uri, authorization) =
                    (client.clone(), uri.clone(), Arc::clone(&authorization));
                tasks.push(tokio::spawn(async move {
                    let mut latencies = Vec::new();
                    let mut errors = 0;
                    while Instant::now() < until {
                        let mut request = hyper::Request::get(uri.clone());
                        if let Some(value) = authorization.as_deref() {
                            request = request.header("authorization", value);
                        }
                        for (name, value) in SERVER_BENCH_HEADERS {
                            request = request.header(name, value);
                        }
                        let started = Instant::now();
                        match client.request(request.body(Empty::new()).unwrap()).await {
                            Ok(resp) => {
                                let ok = resp.status().is_success();
                                let _ = resp.into_body().collect().await;
                                if ok {
                                    latencies.push(started.elapsed());
                                } else {
                                    errors += 1;
                                }
                            }
                            Err(_) => errors += 1,
                        }
                    }
                    (latencies, errors)
                }));
            }
            tasks
        };
        // Warm-up: connections, warm instances, caches.
        for task in run(Instant::now() + measure / 5) {
            let _ = task.await;
        }
        let mut all = Vec::new();
        let mut errors = 0;
        let cpu_before = cpu_seconds();
        for task in run(Instant::now() + measure) {
            let (latencies, e) = task.await.unwrap();
            all.extend(latencies);
            errors += e;
        }
        let server_cpu = cpu_seconds() - cpu_before;
        (all, errors, server_cpu)
    })
}

/// CPU seconds used so far by the server's runtime threads (user and system time from
/// /proc; 0 where there is no /proc). The client's threads are named `bench-client`.
fn cpu_seconds() -> f64 {
    let mut server = 0.0;
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0.0;
    };
    for task in tasks.flatten() {
        let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else {
            continue;
        };
        let Some((head, tail)) = stat.rsplit_once(')') else {
            continue;
        };
        if !head.ends_with("(bench-server") {
            continue;
        }
        // After the command come the state (field 3) ... utime (14) and stime (15), in ticks.
        let fields: Vec<&str> = tail.split_whitespace().collect();
        let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
        server += (ticks(11).unwrap_or(0.0) + ticks(12).unwrap_or(0.0)) / TICKS_PER_SECOND;
    }
    server
}

/// Linux's USER_HZ for /proc/*/stat times.
const TICKS_PER_SECOND: f64 = 100.0;

fn row(
    name: &str,
    concurrency: usize,
    mut latencies: Vec<Duration>,
    errors: usize,
    measure: Duration,
    server_cpu: f64,
) -> Row {
    latencies.sort();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Row {
        name: name.to_owned(),
        concurrency,
        requests: latencies.len(),
        errors,
        per_second: latencies.len() as f64 / measure.as_secs_f64(),
        ratio: 1.0,
        p50: at(0.50),
        p99: at(0.99),
        server_cpu: Duration::from_secs_f64(server_cpu / latencies.len().max(1) as f64),
    }
}

/// Loads the one server of the row named `name` at concurrency 32 (see the module's doc).
fn profile_one(
    server_rt: &tokio::runtime::Runtime,
    client_rt: &tokio::runtime::Runtime,
    host: &PluginHost,
    scenarios: &[mockforge_component_benches::ServerScenario],
    name: &str,
) {
    let Some(scenario) = scenarios.iter().find(|s| s.name == name) else {
        let names: Vec<_> = scenarios.iter().map(|s| s.name).collect();
        panic!("no row is named {name:?}; the rows: {names:?}");
    };
    let seconds: u64 = std::env::var("MOCKFORGE_BENCH_SECONDS")
        .ok()
        .map(|s| s.parse().expect("MOCKFORGE_BENCH_SECONDS: whole seconds"))
        .unwrap_or(10);
    let server = server_rt.block_on(start(host, scenario.plugin.as_deref()));
    let measure = Duration::from_secs(seconds);
    let (latencies, errors, cpu) = load(
        client_rt,
        server.local_addr(),
        "/api/orders/42",
        scenario.authorization.clone(),
        32,
        measure,
    );
    println!(
        "{name}: {} requests in {seconds} s ({:.0}/s), {errors} errors, server CPU {:.1} µs per request",
        latencies.len(),
        latencies.len() as f64 / measure.as_secs_f64(),
        cpu / latencies.len().max(1) as f64 * 1e6
    );
    server_rt.block_on(server.shutdown());
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not supported.
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("bench-server")
        .enable_all()
        .build()
        .unwrap();
    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("bench-client")
        .enable_all()
        .build()
        .unwrap();
    let scratch = std::env::temp_dir().join(format!("mf-server-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let cache = scratch.join("cache");
    let host = server_rt.block_on(async {
        PluginHost::new(HostConfig::default().cache_dir(Some(cache.clone()))).unwrap()
    });
    let token = format!("Bearer {}", jwt_token());
    let scenarios = server_scenarios(&scratch);
    // Every server runs at once; rows are measured round-robin (each scenario in turn, ROUNDS
    // times), so that a slow spell of the machine hits every row alike. A row's throughput is
    // the median of its rounds; its percentiles come from all its requests.
    // `MOCKFORGE_BENCH_ONLY=jwt` keeps the rows whose name contains `jwt` (and the floor).
    let only = std::env::var("MOCKFORGE_BENCH_ONLY").ok();
    if let Ok(name) = std::env::var("MOCKFORGE_BENCH_PROFILE") {
        profile_one(&server_rt, &client_rt, &host, &scenarios, &name);
        return;
    }
    let scenarios: Vec<_> = scenarios
        .into_iter()
        .filter(|s| s.plugin.is_none() || only.as_deref().is_none_or(|o| s.name.contains(o)))
        .collect();
    let servers: Vec<Server> = scenarios
        .iter()
        .map(|s| server_rt.block_on(start(&host, s.plugin.as_deref())))
        .collect();
    let mut rows = Vec::new();
    println!(
        "{:<22} {:>5} {:>10} {:>9} {:>10} {:>10} {:>12} {:>8}",
        "server", "conc", "req/s", "ratio", "p50", "p99", "server CPU", "errors"
    );
    for concurrency in CONCURRENCY {
        let mut rates = vec![Vec::new(); scenarios.len()];
        let mut latencies = vec![Vec::new(); scenarios.len()];
        let mut errors = vec![0; scenarios.len()];
        let mut cpu = vec![0.0; scenarios.len()];
        for _ in 0..ROUNDS {
            for (i, scenario) in scenarios.iter().enumerate() {
                let addr = servers[i].local_addr();
                let (l, e, c) = load(
                    &client_rt,
                    addr,
                    "/api/orders/42",
                    scenario.authorization.clone(),
                    concurrency,
                    ROUND,
                );
                rates[i].push(l.len() as f64 / ROUND.as_secs_f64());
                latencies[i].extend(l);
                errors[i] += e;
                cpu[i] += c;
            }
        }
        let median = |v: &mut Vec<f64>| {
            v.sort_by(|a, b| a.total_cmp(b));
            v[v.len() / 2]
        };
        for (i, scenario) in scenarios.iter().enumerate() {
            let mut r = row(
                scenario.name,
                concurrency,
                std::mem::take(&mut latencies[i]),
                errors[i],
                ROUND * ROUNDS as u32,
                cpu[i],
            );
            r.per_second = median(&mut rates[i].clone());
            let mut paired: Vec<f64> = rates[i]
                .iter()
                .zip(&rates[0])
                .map(|(row, floor)| row / floor)
                .collect();
            r.ratio = median(&mut paired);
            println!(
                "{:<22} {:>5} {:>10.0} {:>8.0}% {:>10.1?} {:>10.1?} {:>8.1}µs/r {:>8}",
                r.name,
                r.concurrency,
                r.per_second,
                r.ratio * 100.0,
                r.p50,
                r.p99,
                r.server_cpu.as_secs_f64() * 1e6,
                r.errors
            );
            rows.push(r);
        }
    }
    for server in servers {
        server_rt.block_on(server.shutdown());
    }

    // p99 with a reload every second: auth-jwt pooled at concurrency 32, its manifest's
    // config changed each second, so that every reload loads a new version (a cached
    // artifact, new instances) and swaps it in.
    let reload_dir = pooled_copy("auth-jwt", &scratch.join("reload"));
    let server = server_rt.block_on(start(&host, Some(&reload_dir)));
    let addr = server.local_addr();
    let quiet = load(
        &client_rt,
        addr,
        "/api/orders/42",
        Some(token.clone()),
        32,
        MEASURE * 2,
    );
    let quiet = row(
        "auth-jwt pooled, no reload",
        32,
        quiet.0,
        quiet.1,
        MEASURE * 2,
        quiet.2,
    );
    let shared = Arc::clone(server.shared());
    let manifest = std::fs::read_to_string(reload_dir.join("plugin.toml")).unwrap();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reloader = {
        let stop = Arc::clone(&stop);
        let reload_dir = reload_dir.clone();
        server_rt.spawn(async move {
            let mut n = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                tokio::time::sleep(Duration::from_secs(1)).await;
                n += 1;
                let changed =
                    manifest.replace("leeway-seconds = 0", &format!("leeway-seconds = {}", n % 2));
                std::fs::write(reload_dir.join("plugin.toml"), changed).unwrap();
                shared.reload().await.expect("reload");
            }
            n
        })
    };
    let busy = load(
        &client_rt,
        addr,
        "/api/orders/42",
        Some(token),
        32,
        MEASURE * 2,
    );
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let reloads = server_rt.block_on(reloader).unwrap();
    let busy = row(
        "auth-jwt pooled, reload every 1 s",
        32,
        busy.0,
        busy.1,
        MEASURE * 2,
        busy.2,
    );
    for r in [&quiet, &busy] {
        println!(
            "{:<34} {:>10.0} req/s  p50 {:>8.1?}  p99 {:>8.1?}  errors {}",
            r.name, r.per_second, r.p50, r.p99, r.errors
        );
    }
    println!(
        "p99 with reloads / without: {:.2}x ({reloads} reloads, generation {})",
        busy.p99.as_secs_f64() / quiet.p99.as_secs_f64(),
        server.shared().current().number
    );
    server_rt.block_on(server.shutdown());
    rows.push(quiet);
    rows.push(busy);

    let json: Vec<_> = rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "server": r.name, "concurrency": r.concurrency, "requests": r.requests,
                "errors": r.errors, "per_second": r.per_second, "ratio": r.ratio,
                "p50_us": r.p50.as_secs_f64() * 1e6, "p99_us": r.p99.as_secs_f64() * 1e6,
                "server_cpu_us_per_request": r.server_cpu.as_secs_f64() * 1e6,
            })
        })
        .collect();
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/server-bench.json");
    std::fs::write(&out, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    println!("written to {}", out.display());
    let _ = std::fs::remove_dir_all(scratch);
}
