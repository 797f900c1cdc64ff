//! The soak (`just soak`): many calls through the public API, memory flat and no errors.
//!
//! Three subjects, each a built example plugin loaded from `target/plugins`:
//! - Rust auth-jwt with a fresh instance per call: 1,000,000 calls;
//! - Rust auth-jwt on warm (pooled) instances: 1,000,000 calls;
//! - JavaScript auth-jwt on warm instances: 100,000 calls.
//!
//! Requests rotate through a valid token, a forged one, an expired one and no header at all, so
//! that both the allow and the deny paths (and the plugin's logging) run. Calls come from
//! [`CONCURRENCY`] tasks on a two-worker runtime. The resident set size (`VmRSS`) is read after
//! a warm-up of [`WARM_UP_CALLS`] calls, after each tenth of the run and at the end; a subject
//! passes when every call answered as expected and the end RSS is within 10% of the start, or,
//! when warm instances were retired near their memory limit and replaced (the RSS is then a
//! sawtooth), when the second half's peak RSS is within 10% of the first half's. The exit status
//! is non-zero when a subject fails. `MOCKFORGE_SOAK_SCALE` (a factor, default 1) scales the call
//! counts for a quick check; `MOCKFORGE_SOAK_ONLY=javascript` keeps the subjects whose label
//! contains it.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use mockforge_component_benches::{jwt_token, sample_request, staged_plugins, JWT_SECRET};
use mockforge_component_host::{
    AuthOutcome, InstanceStrategy, Manifest, Plugin, PluginHost, Request,
};
use mockforge_component_testkit::signed_jwt;

/// Tasks calling at once.
const CONCURRENCY: usize = 4;
/// Calls made before the first RSS reading (allocator pools, instance pools, caches warm up).
const WARM_UP_CALLS: u64 = 20_000;
/// The soak after its warm-up runs in this many parts, with the RSS read after each.
const TENTHS: usize = 10;
/// The most the RSS may grow over a soak, in percent of the start.
const MAX_GROWTH_PERCENT: f64 = 10.0;

/// One soak subject.
struct Subject {
    label: &'static str,
    language: &'static str,
    strategy: InstanceStrategy,
    calls: u64,
}

const SUBJECTS: [Subject; 3] = [
    Subject {
        label: "rust auth-jwt, fresh instance per call",
        language: "rust",
        strategy: InstanceStrategy::Fresh,
        calls: 1_000_000,
    },
    Subject {
        label: "rust auth-jwt, pooled",
        language: "rust",
        strategy: InstanceStrategy::Pooled,
        calls: 1_000_000,
    },
    Subject {
        label: "javascript auth-jwt, pooled",
        language: "javascript",
        strategy: InstanceStrategy::Pooled,
        calls: 100_000,
    },
];

/// What one soak measured.
struct Outcome {
    calls: u64,
    unexpected: u64,
    seconds: f64,
    rss_start: u64,
    rss_end: u64,
    /// The highest RSS of the first and of the second half of the run.
    peaks: (u64, u64),
    retired: u64,
}

impl Outcome {
    fn growth_percent(&self) -> f64 {
        percent(self.rss_start, self.rss_end)
    }

    /// How much the second half's peak RSS exceeds the first half's.
    fn peak_growth_percent(&self) -> f64 {
        percent(self.peaks.0, self.peaks.1)
    }

    /// No unexpected answer, and memory flat: the end within 10% of the start, or, for a
    /// plugin whose warm instances are retired near their memory limit and replaced (so that
    /// the RSS is a sawtooth), the second half's peak within 10% of the first half's.
    fn passed(&self) -> bool {
        let flat = self.growth_percent() <= MAX_GROWTH_PERCENT
            || (self.retired > 0 && self.peak_growth_percent() <= MAX_GROWTH_PERCENT);
        self.unexpected == 0 && flat
    }
}

/// The rotating requests and whether each should be allowed.
fn requests() -> Vec<(Arc<Request>, bool)> {
    let good = jwt_token();
    let forged = {
        let mut parts: Vec<&str> = good.split('.').collect();
        let tampered = URL_SAFE_NO_PAD.encode(r#"{"sub":"admin","exp":4102444800}"#);
        parts[1] = &tampered;
        parts.join(".")
    };
    let expired = signed_jwt(JWT_SECRET, "HS256", r#"{"sub":"user-42","exp":1000000000}"#);
    vec![
        (Arc::new(sample_request(&format!("Bearer {good}"))), true),
        (Arc::new(sample_request(&format!("Bearer {forged}"))), false),
        (
            Arc::new(sample_request(&format!("Bearer {expired}"))),
            false,
        ),
        (Arc::new(Request::new("GET", "/api/orders/42")), false),
    ]
}

/// The resident set size of this process, in bytes.
fn rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map_or(0, |kib| kib * 1024)
}

/// Makes `calls` calls from [`CONCURRENCY`] tasks; returns how many answered unexpectedly.
async fn run_calls(
    plugin: &Arc<Plugin>,
    requests: &Arc<Vec<(Arc<Request>, bool)>>,
    calls: u64,
) -> u64 {
    let next = Arc::new(AtomicU64::new(0));
    let unexpected = Arc::new(AtomicU64::new(0));
    let tasks: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (plugin, requests) = (plugin.clone(), requests.clone());
            let (next, unexpected) = (next.clone(), unexpected.clone());
            tokio::spawn(async move {
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= calls {
                        break;
                    }
                    let (request, allow) = &requests[n as usize % requests.len()];
                    let ok = match plugin.authenticate(request.clone()).await {
                        Ok(AuthOutcome::Allow(_)) => *allow,
                        Ok(AuthOutcome::Deny(_) | AuthOutcome::Abstain) => !*allow,
                        Err(err) => {
                            if unexpected.load(Ordering::Relaxed) < 5 {
                                eprintln!("call {n} failed: {err}");
                            }
                            false
                        }
                    };
                    if !ok {
                        unexpected.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("a soak task panicked");
    }
    unexpected.load(Ordering::Relaxed)
}

async fn soak(host: &PluginHost, dir: &Path, subject: &Subject, scale: f64) -> Outcome {
    let mut manifest = Manifest::from_file(&dir.join("plugin.toml")).expect("the manifest");
    manifest.component_mut().unwrap().instances.strategy = Some(subject.strategy);
    manifest.component_mut().unwrap().instances.pool_size = Some(CONCURRENCY as u32);
    let bytes =
        std::fs::read(dir.join(&manifest.component().unwrap().component)).expect("the component");
    let plugin = Arc::new(
        host.load_bytes(bytes, manifest, dir)
            .await
            .expect("the plugin loads"),
    );
    let requests = Arc::new(requests());
    let calls = ((subject.calls as f64 * scale) as u64).max(WARM_UP_CALLS * 2);
    let mut unexpected = run_calls(&plugin, &requests, WARM_UP_CALLS).await;
    let rss_start = rss_bytes();
    let started = Instant::now();
    // In tenths, with the RSS after each on stderr: the trend, not only the two ends.
    let mut trend: Vec<u64> = Vec::with_capacity(TENTHS);
    let mut done = WARM_UP_CALLS;
    for tenth in 1..=TENTHS as u64 {
        let until = WARM_UP_CALLS + (calls - WARM_UP_CALLS) * tenth / TENTHS as u64;
        unexpected += run_calls(&plugin, &requests, until - done).await;
        done = until;
        trend.push(rss_bytes());
    }
    let shown: Vec<String> = trend.iter().map(|&b| mib(b)).collect();
    eprintln!(
        "{}: RSS by tenth of the run: {}",
        subject.label,
        shown.join(", ")
    );
    let half = TENTHS / 2;
    let (first, second) = trend.split_at(half);
    let peak_first = first.iter().copied().max().unwrap_or(0).max(rss_start);
    let peak_second = second.iter().copied().max().unwrap_or(0);
    let seconds = started.elapsed().as_secs_f64();
    let rss_end = rss_bytes();
    let metrics = plugin.metrics();
    let errors: u64 = metrics.errors.values().sum();
    if errors != 0 {
        eprintln!(
            "{}: the plugin's metrics count {errors} errors",
            subject.label
        );
        unexpected += errors;
    }
    Outcome {
        calls,
        unexpected,
        seconds,
        rss_start,
        rss_end,
        peaks: (peak_first, peak_second),
        retired: metrics.retired_instances,
    }
}

fn percent(from: u64, to: u64) -> f64 {
    (to as f64 - from as f64) * 100.0 / from.max(1) as f64
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn main() {
    // `cargo bench` passes `--bench`; the soak takes no options.
    let scale = std::env::var("MOCKFORGE_SOAK_SCALE")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| *s > 0.0)
        .unwrap_or(1.0);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let host = mockforge_component_benches::host(None);
    println!("| subject | calls | unexpected answers | seconds | calls/s | RSS after warm-up | RSS at end | change | peak 1st half / 2nd half | retired instances |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let mut failed = false;
    // `MOCKFORGE_SOAK_ONLY=javascript` keeps the subjects whose label contains it.
    let only = std::env::var("MOCKFORGE_SOAK_ONLY").ok();
    for subject in SUBJECTS
        .iter()
        .filter(|s| only.as_deref().is_none_or(|o| s.label.contains(o)))
    {
        let dir = staged_plugins().join(subject.language).join("auth-jwt");
        if !dir.join("plugin.toml").is_file() {
            eprintln!(
                "{}: not built ({} missing); run `just build-guests {}`",
                subject.label,
                dir.display(),
                subject.language
            );
            failed = true;
            continue;
        }
        let outcome = runtime.block_on(soak(&host, &dir, subject, scale));
        println!(
            "| {} | {} | {} | {:.1} | {:.0} | {} | {} | {:+.1}% | {} / {} ({:+.1}%) | {} |",
            subject.label,
            outcome.calls,
            outcome.unexpected,
            outcome.seconds,
            (outcome.calls - WARM_UP_CALLS) as f64 / outcome.seconds,
            mib(outcome.rss_start),
            mib(outcome.rss_end),
            outcome.growth_percent(),
            mib(outcome.peaks.0),
            mib(outcome.peaks.1),
            outcome.peak_growth_percent(),
            outcome.retired
        );
        failed |= !outcome.passed();
    }
    if failed {
        eprintln!(
            "soak failed: an unexpected answer, a missing plugin, or RSS growth above {MAX_GROWTH_PERCENT}%"
        );
        std::process::exit(1);
    }
}
