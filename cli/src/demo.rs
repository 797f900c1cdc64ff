//! `mfplugin demo`: the example plugins on an embedded set of sample requests, as a table of
//! outcomes and timings.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use mockforge_component_host::{AuthOutcome, Plugin, Request};

use crate::loading::{host, load, ms};
use crate::stats::{human, Summary};
use crate::token::{hs256, now_unix};
use crate::HostArgs;

/// The secret in the example auth-jwt plugin's manifest.
const DEMO_SECRET: &[u8] = b"mockforge-demo-secret";
/// Calls per sample request for the timing columns.
const TIMED_CALLS: usize = 200;

/// Arguments of `demo`.
#[derive(Args)]
pub struct DemoArgs {
    /// The folder the example plugins are staged in (`just build-guests` fills it).
    #[arg(default_value = "target/plugins/rust")]
    plugins: PathBuf,
}

/// One sample: a plugin, a description and the request.
struct Sample {
    plugin: &'static str,
    what: &'static str,
    request: Request,
}

fn samples() -> Vec<Sample> {
    let now = now_unix();
    let valid = hs256(
        DEMO_SECRET,
        &format!(
            r#"{{"sub":"user-42","name":"Ada","roles":["admin"],"exp":{}}}"#,
            now + 3600
        ),
    );
    let expired = hs256(
        DEMO_SECRET,
        &format!(r#"{{"sub":"user-42","exp":{}}}"#, now - 60),
    );
    let forged = hs256(
        b"not-the-secret",
        &format!(r#"{{"sub":"root","exp":{}}}"#, now + 3600),
    );
    let bearer = |token: &str| {
        Request::new("GET", "/orders").with_header("authorization", format!("Bearer {token}"))
    };
    vec![
        Sample {
            plugin: "auth-jwt",
            what: "valid token",
            request: bearer(&valid),
        },
        Sample {
            plugin: "auth-jwt",
            what: "expired token",
            request: bearer(&expired),
        },
        Sample {
            plugin: "auth-jwt",
            what: "forged signature",
            request: bearer(&forged),
        },
        Sample {
            plugin: "auth-jwt",
            what: "no token",
            request: Request::new("GET", "/orders"),
        },
        Sample {
            plugin: "auth-api-key",
            what: "key in header",
            request: Request::new("GET", "/orders").with_header("x-api-key", "demo-key-alice"),
        },
        Sample {
            plugin: "auth-api-key",
            what: "key in query",
            request: Request::new("GET", "/orders?api_key=demo-key-bob"),
        },
        Sample {
            plugin: "auth-api-key",
            what: "wrong key",
            request: Request::new("GET", "/orders").with_header("x-api-key", "guess"),
        },
        Sample {
            plugin: "auth-trivial",
            what: "Bearer good",
            request: Request::new("GET", "/").with_header("authorization", "Bearer good"),
        },
        Sample {
            plugin: "response-template",
            what: "GET /users/42",
            request: Request::new("GET", "/users/42").with_header("user-agent", "mfplugin-demo"),
        },
        Sample {
            plugin: "response-template",
            what: "GET /orders/7 (other route)",
            request: Request::new("GET", "/orders/7"),
        },
    ]
}

pub async fn run(args: DemoArgs, host_args: &HostArgs) -> anyhow::Result<()> {
    let host = host(host_args)?;
    let samples = samples();
    let mut plugins: Vec<(&str, Plugin)> = Vec::new();
    for sample in &samples {
        if plugins.iter().any(|(name, _)| *name == sample.plugin) {
            continue;
        }
        let dir = args.plugins.join(sample.plugin);
        let plugin = load(&host, &dir, false).await.with_context(|| {
            format!("loading {} (run `just build-guests` first)", dir.display())
        })?;
        plugins.push((sample.plugin, plugin));
    }

    out!("");
    out!(
        "{:<18} {:<28} {:<46} {:>10} {:>10}",
        "plugin",
        "request",
        "outcome",
        "p50",
        "p99"
    );
    out!("{}", "-".repeat(116));
    for sample in samples {
        let plugin = &plugins
            .iter()
            .find(|(n, _)| *n == sample.plugin)
            .expect("loaded above")
            .1;
        let request = Arc::new(sample.request);
        let outcome = describe(plugin, &request).await;
        let mut times = Vec::with_capacity(TIMED_CALLS);
        for _ in 0..TIMED_CALLS {
            let started = Instant::now();
            let _ = describe(plugin, &request).await;
            times.push(started.elapsed());
        }
        let summary = Summary::of(&mut times).expect("timed calls");
        out!(
            "{:<18} {:<28} {:<46} {:>10} {:>10}",
            sample.plugin,
            sample.what,
            truncate(&outcome, 46),
            human(summary.p50),
            human(summary.p99)
        );
    }
    out!("");
    for (_, plugin) in &plugins {
        let info = plugin.info();
        let metrics = plugin.metrics();
        out!(
            "{:<18} {:?} instances, {} calls, {} errors, load {:.1} ms ({:?}), {} KiB",
            info.name,
            info.limits.strategy,
            metrics.calls,
            metrics.error_count(),
            ms(info.load_time),
            info.artifact,
            info.size_bytes / 1024
        );
    }
    out!("\nEvery call above ran in a fresh instance unless the plugin's manifest asks for a pool; timings include instantiation.");
    Ok(())
}

/// One call, described in a few words.
async fn describe(plugin: &Plugin, request: &Arc<Request>) -> String {
    if plugin.info().kind.authenticates() {
        match plugin.authenticate(request.clone()).await {
            Ok(AuthOutcome::Allow(identity)) => {
                let roles = if identity.roles.is_empty() {
                    String::new()
                } else {
                    format!(" roles={}", identity.roles.join(","))
                };
                format!("allow {}{roles}", identity.subject)
            }
            Ok(AuthOutcome::Deny(denial)) => format!("deny {} {}", denial.status, denial.reason),
            Err(err) => format!("error: {err}"),
        }
    } else {
        match plugin.respond(request.clone()).await {
            Ok(Some(response)) => format!(
                "{} {}",
                response.status,
                String::from_utf8_lossy(&response.body).replace('\n', " ")
            ),
            Ok(None) => "declined (default mock answers)".into(),
            Err(err) => format!("error: {err}"),
        }
    }
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let cut: String = text.chars().take(width - 1).collect();
    format!("{cut}…")
}
