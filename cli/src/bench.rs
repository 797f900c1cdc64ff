//! `mfplugin bench`: per-call latency percentiles and throughput of one plugin.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use mockforge_component_host::{Plugin, Request};
use serde_json::json;

use crate::loading::{host, load};
use crate::request_file::read_request;
use crate::stats::{human, Summary};
use crate::HostArgs;

/// Arguments of `bench`.
#[derive(Args)]
pub struct BenchArgs {
    /// The plugin: its folder (with plugin.toml or MockForge's plugin.yaml), its manifest, or
    /// a .wasm file (with no manifest beside it: run under default limits, its kind read
    /// from its exports).
    plugin: PathBuf,
    /// The request to send (see `call`); default: a GET with eight headers, one of them
    /// `authorization: Bearer good`.
    #[arg(long, value_name = "FILE")]
    request: Option<PathBuf>,
    /// Measured calls.
    #[arg(long, default_value_t = 10_000)]
    iterations: usize,
    /// Unmeasured calls first.
    #[arg(long, default_value_t = 1_000)]
    warmup: usize,
    /// Tasks calling at once.
    #[arg(long, default_value_t = 1)]
    concurrency: usize,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub async fn run(args: BenchArgs, host_args: &HostArgs) -> anyhow::Result<()> {
    let request = Arc::new(match &args.request {
        Some(path) => read_request(path)?,
        None => Request::typical("Bearer good"),
    });
    let host = host(host_args)?;
    let plugin = load(&host, &args.plugin, args.json).await?;
    // One call first, so that a plugin that fails says so before thousands of calls.
    call(&plugin, &request).await?;
    let concurrency = args.concurrency.max(1);
    for _ in 0..args.warmup {
        call(&plugin, &request).await?;
    }
    let started = Instant::now();
    let per_task = args.iterations.div_ceil(concurrency);
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let plugin = plugin.clone();
            let request = request.clone();
            tokio::spawn(async move {
                let mut samples = Vec::with_capacity(per_task);
                for _ in 0..per_task {
                    let t = Instant::now();
                    call(&plugin, &request).await?;
                    samples.push(t.elapsed());
                }
                anyhow::Ok(samples)
            })
        })
        .collect();
    let mut samples: Vec<Duration> = Vec::with_capacity(per_task * concurrency);
    for task in tasks {
        samples.extend(task.await??);
    }
    let wall = started.elapsed();
    let summary = Summary::of(&mut samples).expect("at least one sample");
    let throughput = summary.count as f64 / wall.as_secs_f64();
    let info = plugin.info();
    let retired = plugin.metrics().retired_instances;
    if args.json {
        let report = json!({
            "plugin": info.name,
            "strategy": info.limits.strategy,
            "concurrency": concurrency,
            "latency_ns": {
                "min": summary.min.as_nanos() as u64, "p50": summary.p50.as_nanos() as u64,
                "p90": summary.p90.as_nanos() as u64, "p99": summary.p99.as_nanos() as u64,
                "max": summary.max.as_nanos() as u64,
            },
            "calls": summary.count,
            "calls_per_second": throughput,
            "retired_instances": retired,
        });
        out!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        out!(
            "{}: {} calls, {:?} instances, concurrency {concurrency}",
            info.name,
            summary.count,
            info.limits.strategy
        );
        out!(
            "  min {}  p50 {}  p90 {}  p99 {}  max {}",
            human(summary.min),
            human(summary.p50),
            human(summary.p90),
            human(summary.p99),
            human(summary.max)
        );
        out!("  {throughput:.0} calls/s");
        if retired > 0 {
            out!("  {retired} warm instances retired near their memory limit");
        }
    }
    Ok(())
}

/// One call of whatever the plugin offers.
async fn call(plugin: &Plugin, request: &Arc<Request>) -> anyhow::Result<()> {
    if plugin.info().kind.authenticates() {
        plugin.authenticate(request.clone()).await?;
    } else {
        plugin.respond(request.clone()).await?;
    }
    Ok(())
}
