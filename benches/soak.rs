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
//! a warm-up of [`WARM_UP_CALLS`] calls and again at the end; a subject passes when every call
//! answered as expected and the end RSS is within 10% of the start. The exit status is non-zero
//! when a subject fails. `MOCKFORGE_SOAK_SCALE` (a factor, default 1) scales the call counts for a
//! quick check.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use mockforge_component_benches::{jwt_token, sample_request, staged_plugins, JWT_SECRET};
use mockforge_component_host::{
    AuthOutcome, InstanceStrategy, Manifest, Plugin, PluginHost, Request,
};
use sha2::Sha256;

/// Tasks calling at once.
const CONCURRENCY: usize = 4;
/// Calls made before the first RSS reading (allocator pools, instance pools, caches warm up).
const WARM_UP_CALLS: u64 = 20_000;
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
}

impl Outcome {
    fn growth_percent(&self) -> f64 {
        (self.rss_end as f64 - self.rss_start as f64) * 100.0 / self.rss_start as f64
    }

    fn passed(&self) -> bool {
        self.unexpected == 0 && self.growth_percent() <= MAX_GROWTH_PERCENT
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
    let expired = signed(r#"{"sub":"user-42","exp":1000000000}"#);
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

fn signed(payload: &str) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(JWT_SECRET).expect("any key length");
    mac.update(input.as_bytes());
    format!(
        "{input}.{}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    )
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
                        Ok(AuthOutcome::Deny(_)) => !*allow,
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
    manifest.instances.strategy = Some(subject.strategy);
    manifest.instances.pool_size = Some(CONCURRENCY as u32);
    let bytes = std::fs::read(dir.join(&manifest.component)).expect("the component");
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
    unexpected += run_calls(&plugin, &requests, calls - WARM_UP_CALLS).await;
    let seconds = started.elapsed().as_secs_f64();
    let rss_end = rss_bytes();
    let errors: u64 = plugin.metrics().errors.values().sum();
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
    }
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
    println!("| subject | calls | unexpected answers | seconds | calls/s | RSS after warm-up | RSS at end | change |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let mut failed = false;
    for subject in &SUBJECTS {
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
            "| {} | {} | {} | {:.1} | {:.0} | {} | {} | {:+.1}% |",
            subject.label,
            outcome.calls,
            outcome.unexpected,
            outcome.seconds,
            (outcome.calls - WARM_UP_CALLS) as f64 / outcome.seconds,
            mib(outcome.rss_start),
            mib(outcome.rss_end),
            outcome.growth_percent()
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
