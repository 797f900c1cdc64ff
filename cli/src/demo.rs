//! `mfplugin demo`: the demo mock server on a free port, a scripted set of real HTTP requests
//! to it (auth plugins allowing and denying, a templated response, a declined route answered
//! by the default mock, a modified response, a legacy Go plugin, a remote Python plugin when
//! Python is set up), each request and response printed, then the metrics, then a stop.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use mockforge_component_server::config::{PluginEntry, RouteEntry};
use mockforge_component_server::Server;

use crate::loading::host;
use crate::serve::demo_options;
use crate::token::{hs256, now_unix};
use crate::HostArgs;

/// The secret in the example auth-jwt plugin's manifest.
const DEMO_SECRET: &[u8] = b"mockforge-demo-secret";
/// The shared secret between the server and the remote Python plugin.
const REMOTE_SECRET: &str = "mockforge-demo-remote";

/// Arguments of `demo`.
#[derive(Args)]
pub struct DemoArgs {
    /// The folder the example plugins are staged in (`just build-guests` fills it).
    #[arg(default_value = "target/plugins")]
    plugins: PathBuf,
    /// Leave out the remote Python plugin even when Python is set up.
    #[arg(long)]
    no_remote: bool,
}

/// One scripted request.
struct Step {
    title: String,
    method: &'static str,
    path: &'static str,
    headers: Vec<(&'static str, String)>,
    body: &'static str,
}

fn step(
    title: &str,
    method: &'static str,
    path: &'static str,
    headers: &[(&'static str, &str)],
) -> Step {
    Step {
        title: title.to_owned(),
        method,
        path,
        headers: headers.iter().map(|(n, v)| (*n, v.to_string())).collect(),
        body: "",
    }
}

/// A step that sends `body`.
fn with_body(mut step: Step, body: &'static str) -> Step {
    step.body = body;
    step
}

fn steps(remote: bool) -> Vec<Step> {
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
    let mut steps = vec![
        step(
            "auth-jwt: a valid token",
            "GET",
            "/orders/42",
            &[("authorization", &format!("Bearer {valid}"))],
        ),
        step(
            "auth-jwt: an expired token",
            "GET",
            "/orders/42",
            &[("authorization", &format!("Bearer {expired}"))],
        ),
        step(
            "auth-jwt: a forged signature",
            "GET",
            "/orders/42",
            &[("authorization", &format!("Bearer {forged}"))],
        ),
        step("auth-jwt: no token", "GET", "/orders/42", &[]),
        step(
            "auth-api-key: a key in the header",
            "GET",
            "/reports/daily",
            &[("x-api-key", "demo-key-alice")],
        ),
        step(
            "auth-api-key: a wrong key",
            "GET",
            "/reports/daily",
            &[("x-api-key", "guess")],
        ),
        step(
            "legacy Go plugin (adapted): Bearer good",
            "GET",
            "/legacy/hello",
            &[("authorization", "Bearer good")],
        ),
        step(
            "response-template: a templated response",
            "GET",
            "/users/7",
            &[("user-agent", "mfplugin-demo")],
        ),
        step(
            "response-template declines: the default mock answers, then it modifies the response",
            "GET",
            "/products/3",
            &[],
        ),
        with_body(
            step(
                "kv-crud: POST creates an item, kept in the plugin's key-value store",
                "POST",
                "/items",
                &[("content-type", "application/json")],
            ),
            r#"{"title": "buy milk"}"#,
        ),
        step("kv-crud: GET reads it back", "GET", "/items/1", &[]),
        step("kv-crud: DELETE removes it", "DELETE", "/items/1", &[]),
        step("kv-crud: and it is gone", "GET", "/items/1", &[]),
        step("no route matches", "GET", "/nowhere", &[]),
    ];
    if remote {
        steps.push(step(
            "remote Python plugin (FastAPI): Bearer good",
            "GET",
            "/remote/hello",
            &[("authorization", "Bearer good")],
        ));
        steps.push(step(
            "remote Python plugin: Bearer bad",
            "GET",
            "/remote/hello",
            &[("authorization", "Bearer bad")],
        ));
    }
    steps
}

/// The remote Python example under uvicorn; killed when dropped.
struct RemotePlugin {
    child: Child,
    folder: PathBuf,
}

impl Drop for RemotePlugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

/// The Python with the SDK's remote extra, if set up: `$PYTHON`, else the checkout's venv.
fn python() -> Option<String> {
    let candidates = [
        std::env::var("PYTHON").ok(),
        Some(".venv/bin/python".to_owned()),
    ];
    candidates.into_iter().flatten().find(|python| {
        Command::new(python)
            .args(["-c", "import mockforge_plugin.remote, uvicorn"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

fn start_remote(examples: PathBuf) -> anyhow::Result<Option<RemotePlugin>> {
    let Some(python) = python() else {
        return Ok(None);
    };
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let child = Command::new(&python)
        .args(["-m", "uvicorn", "--app-dir"])
        .arg(&examples)
        .args([
            "trivial_auth:app",
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
        ])
        .args(["--log-level", "warning", "--no-access-log"])
        .env("MOCKFORGE_PLUGIN_SECRET", REMOTE_SECRET)
        .stdout(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {python} -m uvicorn"))?;
    let folder = std::env::temp_dir().join(format!("mfplugin-demo-remote-{}", std::process::id()));
    std::fs::create_dir_all(&folder)?;
    std::fs::write(
        folder.join("plugin.toml"),
        format!(
            "name = \"remote-trivial\"\nversion = \"0.1.0\"\nkind = \"auth\"\n\
             description = \"The Python SDK's trivial_auth example, served by uvicorn\"\n\n\
             [remote]\nendpoint = \"http://127.0.0.1:{port}\"\nsecret = \"{REMOTE_SECRET}\"\n"
        ),
    )?;
    let remote = RemotePlugin { child, folder };
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if started.elapsed() > Duration::from_secs(20) {
            anyhow::bail!("the remote Python plugin did not start listening within 20 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(Some(remote))
}

pub async fn run(args: DemoArgs, host_args: &HostArgs) -> anyhow::Result<()> {
    let plugins = std::path::absolute(&args.plugins)?;
    let mut options = demo_options(&plugins, Some(SocketAddr::from(([127, 0, 0, 1], 0))))?;
    options.config.watch = false;
    let examples = std::path::absolute("guests/python/remote-examples")?;
    let remote = if args.no_remote || !examples.is_dir() {
        None
    } else {
        start_remote(examples)?
    };
    if let Some(remote) = &remote {
        options.config.plugins.push(PluginEntry {
            path: remote.folder.clone(),
            paths: vec!["/remote/*".into()],
            on_failure: Default::default(),
            breaker: Default::default(),
        });
        options.config.routes.push(RouteEntry {
            method: "GET".into(),
            path: "/remote/hello".into(),
            status: 200,
            headers: Default::default(),
            body: Some("hello {auth.subject}, let in by a remote Python plugin".into()),
            body_file: None,
        });
    } else {
        out!("(the remote Python plugin is left out: `just setup --languages python` sets it up)");
    }

    let host = host(host_args)?;
    eprintln!(
        "loading {} plugins (a first load compiles them)...",
        options.config.plugins.len()
    );
    let server = Server::start(host, options).await.context(
        "starting the demo server (`just build-guests --languages rust,go-legacy` stages its plugins)",
    )?;
    let addr = server.local_addr();
    out!("mock server on http://{addr} with:");
    for plugin in &server.shared().current().plugins {
        let info = plugin.chained.plugin().info();
        out!(
            "  {:<18} {:<5} on {:<22} {}",
            info.name,
            info.kind.to_string(),
            plugin.entry.paths.join(", "),
            info.description
        );
    }

    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    for step in steps(remote.is_some()) {
        out!("");
        out!("── {}", step.title);
        let mut request = hyper::Request::builder()
            .method(step.method)
            .uri(format!("http://{addr}{}", step.path));
        out!("   {} {}", step.method, step.path);
        for (name, value) in &step.headers {
            request = request.header(*name, value);
            out!("   {name}: {}", shorten(value, 60));
        }
        if !step.body.is_empty() {
            out!("   {}", step.body);
        }
        let started = Instant::now();
        let response = client
            .request(request.body(Full::new(Bytes::from_static(step.body.as_bytes())))?)
            .await?;
        let elapsed = started.elapsed();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await?.to_bytes();
        out!(
            "   → {} {}  ({:.2} ms)",
            status.as_u16(),
            status.canonical_reason().unwrap_or(""),
            elapsed.as_secs_f64() * 1e3
        );
        for (name, value) in &headers {
            if matches!(name.as_str(), "date" | "content-length") {
                continue;
            }
            out!(
                "     {name}: {}",
                shorten(&String::from_utf8_lossy(value.as_bytes()), 70)
            );
        }
        if !body.is_empty() {
            out!("     {}", shorten(&String::from_utf8_lossy(&body), 110));
        }
    }

    let metrics = client
        .request(
            hyper::Request::get(format!("http://{addr}/__mockforge/metrics"))
                .body(Full::new(Bytes::new()))?,
        )
        .await?
        .into_body()
        .collect()
        .await?
        .to_bytes();
    out!("");
    out!("── metrics (GET /__mockforge/metrics, an excerpt)");
    for line in String::from_utf8_lossy(&metrics).lines() {
        let wanted = line.starts_with("mockforge_plugin_calls_total")
            || line.starts_with("mockforge_plugin_outcomes_total") && !line.ends_with(" 0")
            || line.starts_with("mockforge_http_requests_total");
        if wanted {
            out!("   {line}");
        }
    }
    server.shutdown().await;
    drop(remote);
    Ok(())
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{cut}…")
}
