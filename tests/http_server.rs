//! The live mock server (`mockforge-component-server`, with the `mockforge-component-http`
//! layer) on 127.0.0.1 with real built plugins: the auth chain, response plugins, failure
//! policies and the cool-down, admin endpoints and metrics, hot reload under load, bad input.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::StatusCode;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use mockforge_component_server::config::ServerConfig;
use mockforge_component_server::{ServeOptions, Server};
use mockforge_component_testkit::{hs256_jwt, unix_now};
use mockforge_component_tests::{host, plugin_dir};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// A server on a free loopback port from `config` (TOML), with `{name}` replaced by the staged
/// folder of plugin `name`.
async fn serve(config: &str) -> Server {
    serve_in(config, &std::env::temp_dir()).await
}

async fn serve_in(config: &str, base: &Path) -> Server {
    let config = ServerConfig::parse(&with_plugin_dirs(config), "test").expect("valid config");
    Server::start(
        host(),
        ServeOptions {
            config,
            config_path: None,
            base_dir: base.to_owned(),
            listen: Some("127.0.0.1:0".parse().unwrap()),
        },
    )
    .await
    .expect("server starts")
}

fn with_plugin_dirs(config: &str) -> String {
    let mut out = config.to_owned();
    for name in [
        "flaky",
        "auth-trivial",
        "auth-jwt",
        "auth-api-key",
        "response-template",
        "echo-config",
        "endless-loop",
    ] {
        out = out.replace(
            &format!("{{{name}}}"),
            &plugin_dir(name).display().to_string(),
        );
    }
    out
}

fn client() -> HttpClient {
    Client::builder(TokioExecutor::new()).build_http()
}

struct Answer {
    status: StatusCode,
    headers: hyper::HeaderMap,
    body: String,
}

async fn get(client: &HttpClient, server: &Server, path: &str, headers: &[(&str, &str)]) -> Answer {
    send(client, server, "GET", path, headers, Vec::new()).await
}

async fn send(
    client: &HttpClient,
    server: &Server,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Answer {
    let mut request = hyper::Request::builder()
        .method(method)
        .uri(format!("http://{}{path}", server.local_addr()));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = client
        .request(request.body(Full::new(Bytes::from(body))).unwrap())
        .await
        .expect("the server answers");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

fn json(answer: &Answer) -> serde_json::Value {
    serde_json::from_str(&answer.body).unwrap_or_else(|e| panic!("{e}: {}", answer.body))
}

const WHO: &str = r#"
[[route]]
path = "/a/{id}"
body = "{auth.subject} via {auth.plugin}"
"#;

#[tokio::test]
async fn the_first_plugin_that_allows_wins_and_the_route_sees_its_identity() {
    let server = serve(&format!(
        r#"
        [[plugin]]
        path = "{{flaky}}"
        paths = ["/a/*"]
        [[plugin]]
        path = "{{auth-trivial}}"
        paths = ["/a/*"]
        {WHO}
        "#
    ))
    .await;
    let c = client();
    let first = get(&c, &server, "/a/1", &[]).await;
    assert_eq!(
        (first.status, first.body.as_str()),
        (StatusCode::OK, "flaky via flaky")
    );
    // flaky denies; the chain goes on and auth-trivial allows.
    let second = get(
        &c,
        &server,
        "/a/1",
        &[("x-auth", "deny"), ("authorization", "Bearer good")],
    )
    .await;
    assert_eq!(
        (second.status, second.body.as_str()),
        (StatusCode::OK, "good via auth-trivial")
    );
    assert!(second.headers.get("x-request-id").is_some());
    server.shutdown().await;
}

#[tokio::test]
async fn when_no_plugin_allows_the_first_denial_answers_with_every_challenge() {
    let server = serve(&format!(
        r#"
        [[plugin]]
        path = "{{flaky}}"
        paths = ["/a/*"]
        [[plugin]]
        path = "{{auth-jwt}}"
        paths = ["/a/*"]
        {WHO}
        "#
    ))
    .await;
    let c = client();
    // auth-jwt denies a token it cannot read (without one it would abstain).
    let denied = get(
        &c,
        &server,
        "/a/1",
        &[("x-auth", "deny"), ("authorization", "Bearer not-a-jwt")],
    )
    .await;
    assert_eq!(denied.status, StatusCode::UNAUTHORIZED);
    assert_eq!(json(&denied)["error"], "flaky says no");
    let challenges: Vec<_> = denied
        .headers
        .get_all("www-authenticate")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert_eq!(challenges.len(), 2, "{challenges:?}");
    assert!(challenges[0].starts_with("Flaky"), "{challenges:?}");
    assert!(challenges[1].starts_with("Bearer"), "{challenges:?}");

    // A valid token gets through the second plugin.
    let token = hs256_jwt(
        b"mockforge-demo-secret",
        &serde_json::json!({ "sub": "user-42", "exp": unix_now() + 600 }),
    );
    let allowed = get(
        &c,
        &server,
        "/a/1",
        &[
            ("x-auth", "deny"),
            ("authorization", &format!("Bearer {token}")),
        ],
    )
    .await;
    assert_eq!(allowed.body, "user-42 via auth-jwt");
    server.shutdown().await;
}

#[tokio::test]
async fn excluded_paths_and_paths_outside_every_scope_pass_unauthenticated() {
    let server = serve(&format!(
        r#"
        [[plugin]]
        path = "{{auth-trivial}}"
        paths = ["/a/*"]
        {WHO}
        [[route]]
        path = "/open"
        body = "{{auth.subject}}"
        "#
    ))
    .await;
    let c = client();
    assert_eq!(
        get(&c, &server, "/a/1", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(get(&c, &server, "/open", &[]).await.body, "anonymous");
    assert_eq!(
        get(&c, &server, "/health", &[]).await.status,
        StatusCode::OK
    );
    assert_eq!(
        get(&c, &server, "/__mockforge/plugins", &[]).await.status,
        StatusCode::OK
    );
    server.shutdown().await;

    // A chain on every path still skips the admin endpoints.
    let server = serve(&format!(
        r#"
        [[plugin]]
        path = "{{auth-trivial}}"
        {WHO}
        "#
    ))
    .await;
    assert_eq!(
        get(&c, &server, "/a/1", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        get(&c, &server, "/__mockforge/health", &[]).await.status,
        StatusCode::OK
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_failing_auth_plugin_fails_closed_with_a_generic_answer_or_is_passed_over_failing_open() {
    let closed = serve(&format!(
        r#"
        [[plugin]]
        path = "{{flaky}}"
        paths = ["/a/*"]
        {WHO}
        "#
    ))
    .await;
    let c = client();
    for how in ["trap", "error", "deny-200", "deny-crlf"] {
        let answer = get(&c, &closed, "/a/1", &[("x-auth", how)]).await;
        assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE, "{how}");
        assert_eq!(
            json(&answer)["error"],
            "authentication is unavailable",
            "{how}"
        );
        for secret in ["trap", "purpose", "panic", "Evil", "flaky"] {
            assert!(!answer.body.contains(secret), "{how}: {}", answer.body);
        }
        assert!(answer.headers.get("x-evil").is_none());
    }
    closed.shutdown().await;

    let open = serve(&format!(
        r#"
        [[plugin]]
        path = "{{flaky}}"
        paths = ["/a/*"]
        on-failure = "open"
        [[plugin]]
        path = "{{auth-trivial}}"
        paths = ["/b/*"]
        {WHO}
        [[route]]
        path = "/b/{{id}}"
        body = "{{auth.subject}}"
        "#
    ))
    .await;
    // Alone in its scope, a plugin failing open lets the request through unauthenticated.
    let through = get(&c, &open, "/a/1", &[("x-auth", "trap")]).await;
    assert_eq!(
        (through.status, through.body.as_str()),
        (StatusCode::OK, "anonymous via none")
    );
    open.shutdown().await;
}

#[tokio::test]
async fn a_plugin_that_keeps_trapping_is_taken_out_for_a_cooldown_then_probed_back() {
    let server = serve(&format!(
        r#"
        [[plugin]]
        path = "{{flaky}}"
        paths = ["/a/*"]
        breaker = {{ failures = 3, window-ms = 10000, cooldown-ms = 700 }}
        {WHO}
        "#
    ))
    .await;
    let c = client();
    let calls = |server: &Server| {
        server.shared().current().plugins[0]
            .chained
            .plugin()
            .metrics()
            .calls
    };
    for _ in 0..3 {
        let trapped = get(&c, &server, "/a/1", &[("x-auth", "trap")]).await;
        assert_eq!(trapped.status, StatusCode::SERVICE_UNAVAILABLE);
    }
    let before = calls(&server);
    // Open: even a good request is refused without calling the plugin.
    let refused = get(&c, &server, "/a/1", &[]).await;
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        calls(&server),
        before,
        "the plugin was not called while cooling down"
    );
    let admin = json(&get(&c, &server, "/__mockforge/plugins", &[]).await);
    assert_eq!(admin["plugins"][0]["breaker"]["state"], "open");
    let metrics = get(&c, &server, "/__mockforge/metrics", &[]).await.body;
    assert!(
        metrics.contains("mockforge_plugin_breaker_state{plugin=\"flaky\"} 1"),
        "{metrics}"
    );

    tokio::time::sleep(Duration::from_millis(800)).await;
    let probed = get(&c, &server, "/a/1", &[]).await;
    assert_eq!(
        (probed.status, probed.body.as_str()),
        (StatusCode::OK, "flaky via flaky")
    );
    let admin = json(&get(&c, &server, "/__mockforge/plugins", &[]).await);
    assert_eq!(admin["plugins"][0]["breaker"]["state"], "closed");
    assert_eq!(admin["plugins"][0]["breaker"]["opened"], 1);
    assert_eq!(admin["plugins"][0]["outcomes"]["skipped"], 1);
    server.shutdown().await;
}

#[tokio::test]
async fn response_plugins_produce_decline_and_modify() {
    let server = serve(
        r#"
        [[plugin]]
        path = "{flaky}"
        paths = ["/r/*"]
        [[plugin]]
        path = "{response-template}"
        [[route]]
        path = "/r/{id}"
        body = "the default mock for {id}"
        [[route]]
        path = "/users/{id}"
        body = "not the template"
        "#,
    )
    .await;
    let c = client();
    // flaky is also an auth plugin on /r/*: it allows, then responds.
    let produced = get(&c, &server, "/r/1", &[("x-respond", "ok")]).await;
    assert_eq!(
        (produced.status, produced.body.as_str()),
        (StatusCode::OK, "flaky:flaky")
    );
    // Every plugin modifies the result, in order.
    assert_eq!(produced.headers["x-flaky"], "flaky");
    assert_eq!(produced.headers["x-mockforge-plugin"], "response-template");

    let declined = get(&c, &server, "/r/2", &[]).await;
    assert_eq!(declined.body, "the default mock for 2");
    assert_eq!(declined.headers["x-flaky"], "flaky");

    let templated = get(&c, &server, "/users/9", &[("user-agent", "t")]).await;
    assert_eq!(json(&templated)["id"], "9");

    let unmatched = get(&c, &server, "/nowhere", &[]).await;
    assert_eq!(unmatched.status, StatusCode::NOT_FOUND);
    assert_eq!(unmatched.headers["x-mockforge-plugin"], "response-template");
    server.shutdown().await;
}

#[tokio::test]
async fn an_invalid_plugin_response_never_reaches_the_wire() {
    let server = serve(
        r#"
        [http]
        max-response-body-bytes = 1048576
        [[plugin]]
        path = "{flaky}"
        paths = ["/r/*"]
        # Seven failures in a row: no cool-down, so that each is the plugin's own answer.
        breaker = { failures = 0 }
        [[route]]
        path = "/r/{id}"
        "#,
    )
    .await;
    let c = client();
    for (header, how) in [
        ("x-respond", "status-999"),
        ("x-respond", "crlf"),
        ("x-respond", "empty-name"),
        ("x-respond", "big"),
        ("x-respond", "trap"),
        ("x-modify", "crlf"),
        ("x-modify", "trap"),
    ] {
        let answer = get(&c, &server, "/r/1", &[(header, how)]).await;
        assert_eq!(
            answer.status,
            StatusCode::INTERNAL_SERVER_ERROR,
            "{how}: {}",
            answer.body
        );
        assert!(answer.headers.get("x-evil").is_none(), "{how}");
        assert_eq!(json(&answer)["error"], "the mock failed", "{how}");
    }
    let admin = json(&get(&c, &server, "/__mockforge/plugins", &[]).await);
    assert_eq!(admin["plugins"][0]["outcomes"]["failed"], 7);
    server.shutdown().await;
}

/// Checks `text` against the Prometheus text exposition format (0.0.4): comment lines are
/// `# HELP name text` or `# TYPE name type`; every sample belongs to a family typed before it;
/// names and labels are well-formed; values are numbers; histogram buckets are cumulative and
/// end with `le="+Inf"` equal to `_count`.
fn check_exposition(text: &str) -> Result<usize, String> {
    use std::collections::HashMap;
    let mut types: HashMap<String, String> = HashMap::new();
    let mut last_bucket: HashMap<String, f64> = HashMap::new();
    let mut inf: HashMap<String, f64> = HashMap::new();
    let mut counts: HashMap<String, f64> = HashMap::new();
    let mut samples = 0;
    let name_ok = |n: &str| {
        !n.is_empty()
            && n.chars().enumerate().all(|(i, c)| {
                c.is_ascii_alphabetic() || c == '_' || c == ':' || (i > 0 && c.is_ascii_digit())
            })
    };
    for (i, line) in text.lines().enumerate() {
        let at = |m: &str| format!("line {}: {m}: {line}", i + 1);
        if line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix("# ") {
            let mut parts = rest.splitn(3, ' ');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("HELP"), Some(name), _) if name_ok(name) => {}
                (Some("TYPE"), Some(name), Some(kind))
                    if name_ok(name)
                        && ["counter", "gauge", "histogram", "summary", "untyped"]
                            .contains(&kind) =>
                {
                    types.insert(name.to_owned(), kind.to_owned());
                }
                _ => return Err(at("a malformed comment")),
            }
            continue;
        }
        let (series, value) = line.rsplit_once(' ').ok_or_else(|| at("no value"))?;
        let value: f64 = match value {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            v => v.parse().map_err(|_| at("a value that is not a number"))?,
        };
        let (name, labels) = match series.split_once('{') {
            Some((name, rest)) => (
                name,
                rest.strip_suffix('}')
                    .ok_or_else(|| at("unclosed labels"))?,
            ),
            None => (series, ""),
        };
        if !name_ok(name) {
            return Err(at("a bad metric name"));
        }
        let mut le = None;
        let mut others = Vec::new();
        let mut rest = labels;
        while !rest.is_empty() {
            let (key, after) = rest.split_once("=\"").ok_or_else(|| at("a bad label"))?;
            if !name_ok(key) {
                return Err(at("a bad label name"));
            }
            let mut end = None;
            let mut escaped = false;
            for (j, c) in after.char_indices() {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => {
                        end = Some(j);
                        break;
                    }
                    _ => {}
                }
            }
            let end = end.ok_or_else(|| at("an unterminated label value"))?;
            let value = &after[..end];
            if key == "le" {
                le = Some(value.to_owned());
            } else {
                others.push(format!("{key}={value}"));
            }
            rest = after[end + 1..]
                .strip_prefix(',')
                .unwrap_or(&after[end + 1..]);
        }
        let family = ["_bucket", "_count", "_sum", "_total"]
            .iter()
            .find_map(|suffix| {
                name.strip_suffix(suffix)
                    .filter(|base| types.contains_key(*base))
            })
            .unwrap_or(name);
        let kind = types
            .get(family)
            .ok_or_else(|| at("a sample of an untyped family"))?;
        let key = format!("{family}{{{}}}", others.join(","));
        if kind == "histogram" {
            if name.ends_with("_bucket") {
                let le = le.ok_or_else(|| at("a bucket without le"))?;
                let previous = last_bucket.get(&key).copied().unwrap_or(0.0);
                if value < previous {
                    return Err(at("buckets that are not cumulative"));
                }
                last_bucket.insert(key.clone(), value);
                if le == "+Inf" {
                    inf.insert(key, value);
                }
            } else if name.ends_with("_count") {
                counts.insert(key, value);
            }
        }
        samples += 1;
    }
    for (key, count) in &counts {
        if inf.get(key) != Some(count) {
            return Err(format!("{key}: le=\"+Inf\" bucket differs from _count"));
        }
    }
    Ok(samples)
}

#[tokio::test]
async fn the_admin_endpoints_report_plugins_and_prometheus_metrics() {
    let server = serve(&format!(
        r#"
        [[plugin]]
        path = "{{auth-trivial}}"
        paths = ["/a/*"]
        {WHO}
        "#
    ))
    .await;
    let c = client();
    get(&c, &server, "/a/1", &[("authorization", "Bearer good")]).await;
    get(&c, &server, "/a/1", &[("authorization", "Bearer bad")]).await;
    let plugins = json(&get(&c, &server, "/__mockforge/plugins", &[]).await);
    assert_eq!(plugins["generation"], 1);
    let entry = &plugins["plugins"][0];
    assert_eq!(entry["name"], "auth-trivial");
    assert_eq!(entry["chains"], serde_json::json!(["auth"]));
    assert_eq!(entry["calls"], 2);
    assert_eq!(entry["outcomes"]["allowed"], 1);
    assert_eq!(entry["outcomes"]["denied"], 1);

    let metrics = get(&c, &server, "/__mockforge/metrics", &[]).await;
    assert!(metrics.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let samples =
        check_exposition(&metrics.body).unwrap_or_else(|e| panic!("{e}\n{}", metrics.body));
    assert!(samples > 20, "{samples} samples");
    for expected in [
        "mockforge_plugin_calls_total{plugin=\"auth-trivial\"} 2",
        "mockforge_plugin_call_duration_seconds_count{plugin=\"auth-trivial\"} 2",
        "mockforge_http_requests_total{route=\"/a/{id}\",method=\"GET\",status=\"200\"} 1",
        "mockforge_http_requests_total{route=\"/a/{id}\",method=\"GET\",status=\"401\"} 1",
        "mockforge_plugin_breaker_state{plugin=\"auth-trivial\"} 0",
        "mockforge_plugin_warm_instances{plugin=\"auth-trivial\"}",
        "mockforge_plugin_retired_instances_total{plugin=\"auth-trivial\"} 0",
        "mockforge_artifact_cache_rejected_total 0",
        "mockforge_artifact_cache_hits_total ",
    ] {
        assert!(
            metrics.body.contains(expected),
            "missing {expected}:\n{}",
            metrics.body
        );
    }
    // The checker itself refuses what is not the format.
    assert!(check_exposition("foo 1").is_err());
    assert!(check_exposition("# TYPE foo counter\nfoo{a=\"1} 1").is_err());
    assert!(check_exposition(
        "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1"
    )
    .is_err());
    server.shutdown().await;
}

/// A plugin folder this test owns: `version` "a" (echo-config) or "b" (response-template), or
/// "broken" (bytes that are not a component), swapped in by renaming whole files.
fn stage_version(dir: &Path, version: &str) {
    let (source, manifest) = match version {
        "a" => (
            plugin_dir("echo-config"),
            "name = \"versioned\"\nversion = \"1.0.0\"\nkind = \"response\"\n[config]\nversion = \"a\"\n"
                .to_owned(),
        ),
        "b" => (
            plugin_dir("response-template"),
            "name = \"versioned\"\nversion = \"2.0.0\"\nkind = \"response\"\n[config]\nroute = \"/v\"\ntemplate = '{\"config\": {\"version\": \"b\"}}'\n"
                .to_owned(),
        ),
        _ => (PathBuf::new(), String::new()),
    };
    let tmp_wasm = dir.join(".plugin.wasm.new");
    let tmp_toml = dir.join(".plugin.toml.new");
    if version == "broken" {
        std::fs::write(&tmp_wasm, b"\0asm\x0d\0\x01\0 not a component").unwrap();
    } else {
        std::fs::copy(source.join("plugin.wasm"), &tmp_wasm).unwrap();
        std::fs::write(&tmp_toml, manifest).unwrap();
        std::fs::rename(&tmp_toml, dir.join("plugin.toml")).unwrap();
    }
    std::fs::rename(&tmp_wasm, dir.join("plugin.wasm")).unwrap();
}

fn version_of(body: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    value["config"]["version"].as_str().map(str::to_owned)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hot_reload_under_load_loses_no_request() {
    let scratch = tempdir("hot-reload");
    let dir = scratch.join("versioned");
    std::fs::create_dir_all(&dir).unwrap();
    stage_version(&dir, "a");
    let server = Arc::new(
        serve_in(
            "watch = true\n[[plugin]]\npath = \"versioned\"\n[[route]]\npath = \"/v\"\nbody = \"default\"\n",
            &scratch,
        )
        .await,
    );

    const REQUESTS: usize = 20_000;
    const CONCURRENCY: usize = 16;
    const SWAPS: usize = 20;
    let sent = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen = Arc::new(std::sync::Mutex::new(std::collections::BTreeMap::<
        String,
        usize,
    >::new()));
    let mut workers = Vec::new();
    for _ in 0..CONCURRENCY {
        let (server, sent, failures, seen) = (
            Arc::clone(&server),
            Arc::clone(&sent),
            Arc::clone(&failures),
            Arc::clone(&seen),
        );
        workers.push(tokio::spawn(async move {
            let c = client();
            while sent.fetch_add(1, Ordering::Relaxed) < REQUESTS {
                let answer = get(&c, &server, "/v", &[]).await;
                match (answer.status, version_of(&answer.body)) {
                    (StatusCode::OK, Some(v)) if v == "a" || v == "b" => {
                        *seen.lock().unwrap().entry(v).or_default() += 1;
                    }
                    _ => failures
                        .lock()
                        .unwrap()
                        .push(format!("{} {}", answer.status, answer.body)),
                }
            }
        }));
    }
    // Replace the plugin 20 times, alternating versions, each after the previous one is live;
    // then drop in a broken version: the last good one keeps serving.
    let started = Instant::now();
    for swap in 1..=SWAPS {
        let version = if swap % 2 == 1 { "b" } else { "a" };
        stage_version(&dir, version);
        wait_for_generation(&server, swap as u64 + 1).await;
    }
    stage_version(&dir, "broken");
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.shared().status().last_error.is_none() {
        assert!(
            Instant::now() < deadline,
            "the broken version was never noticed"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for worker in workers {
        worker.await.unwrap();
    }
    let failures = failures.lock().unwrap().clone();
    assert!(
        failures.is_empty(),
        "{} failed, e.g. {:?}",
        failures.len(),
        failures.first()
    );
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.values().sum::<usize>(), REQUESTS);
    assert!(seen.len() == 2, "both versions answered: {seen:?}");
    let status = server.shared().status();
    assert_eq!(status.succeeded, SWAPS as u64);
    assert!(
        status.last_error.as_deref().unwrap().contains("versioned"),
        "{status:?}"
    );
    // Still serving the last good version (a, after an even number of swaps).
    let c = client();
    assert_eq!(
        version_of(&get(&c, &server, "/v", &[]).await.body).as_deref(),
        Some("a")
    );
    eprintln!(
        "20 swaps and {REQUESTS} requests in {:?}: {seen:?}",
        started.elapsed()
    );
    Arc::into_inner(server).unwrap().shutdown().await;
    let _ = std::fs::remove_dir_all(scratch);
}

async fn wait_for_generation(server: &Server, number: u64) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.shared().current().number < number {
        assert!(Instant::now() < deadline, "generation {number} never came");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn tempdir(what: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "mf-http-{what}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn a_reload_that_fails_leaves_the_old_version_serving_and_says_why() {
    let scratch = tempdir("reload");
    let dir = scratch.join("versioned");
    std::fs::create_dir_all(&dir).unwrap();
    stage_version(&dir, "a");
    let server = serve_in(
        "watch = false\n[[plugin]]\npath = \"versioned\"\n[[route]]\npath = \"/v\"\n",
        &scratch,
    )
    .await;
    let c = client();
    stage_version(&dir, "broken");
    let answer = send(&c, &server, "POST", "/__mockforge/reload", &[], Vec::new()).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = json(&answer);
    assert_eq!(body["reloaded"], false);
    assert!(
        body["error"].as_str().unwrap().contains("versioned"),
        "{body}"
    );
    assert_eq!(
        version_of(&get(&c, &server, "/v", &[]).await.body).as_deref(),
        Some("a")
    );
    let admin = json(&get(&c, &server, "/__mockforge/plugins", &[]).await);
    assert_eq!(admin["reload"]["failed"], 1);
    assert!(admin["reload"]["last_error"].is_string());

    stage_version(&dir, "b");
    let answer = json(&send(&c, &server, "POST", "/__mockforge/reload", &[], Vec::new()).await);
    assert_eq!(answer["reloaded"], true);
    assert_eq!(
        version_of(&get(&c, &server, "/v", &[]).await.body).as_deref(),
        Some("b")
    );
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(scratch);
}

/// Writes `raw` to the server and reads until it closes the connection or `wait` passes.
async fn raw_exchange(server: &Server, raw: &[u8], wait: Duration) -> String {
    let mut stream = TcpStream::connect(server.local_addr()).await.unwrap();
    stream.write_all(raw).await.unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(wait, stream.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn bad_input_gets_a_clear_http_error_and_the_server_keeps_serving() {
    let server = serve(&format!(
        r#"
        [http]
        max-request-body-bytes = 1024
        header-timeout-ms = 300
        request-timeout-ms = 1500
        [[plugin]]
        path = "{{auth-trivial}}"
        paths = ["/a/*"]
        {WHO}
        "#
    ))
    .await;
    let c = client();
    let good = [("authorization", "Bearer good")];

    let big = send(&c, &server, "POST", "/a/1", &good, vec![b'x'; 4096]).await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE);

    let malformed = raw_exchange(&server, b"GARBAGE\r\n\r\n", Duration::from_secs(2)).await;
    assert!(malformed.starts_with("HTTP/1.1 400"), "{malformed:?}");

    let latin1 = raw_exchange(
        &server,
        b"GET /a/1 HTTP/1.1\r\nhost: x\r\nauthorization: Bearer good\r\nx-name: caf\xe9\r\nconnection: close\r\n\r\n",
        Duration::from_secs(2),
    )
    .await;
    assert!(latin1.starts_with("HTTP/1.1 400"), "{latin1:?}");
    assert!(latin1.contains("not valid UTF-8"), "{latin1:?}");

    // Headers that never end: the connection is closed after the header timeout.
    let started = Instant::now();
    let slow = raw_exchange(
        &server,
        b"GET /a/1 HTTP/1.1\r\nhost: x\r\n",
        Duration::from_secs(5),
    )
    .await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "closed after {:?}",
        started.elapsed()
    );
    assert!(
        slow.is_empty() || slow.starts_with("HTTP/1.1 408"),
        "{slow:?}"
    );

    // A body that never arrives: 408 (or the request deadline's 503), never a hang.
    let slow_body = raw_exchange(
        &server,
        b"POST /a/1 HTTP/1.1\r\nhost: x\r\nauthorization: Bearer good\r\ncontent-length: 100\r\nconnection: close\r\n\r\nabc",
        Duration::from_secs(5),
    )
    .await;
    assert!(
        slow_body.starts_with("HTTP/1.1 408") || slow_body.starts_with("HTTP/1.1 503"),
        "{slow_body:?}"
    );

    let still = get(&c, &server, "/a/1", &good).await;
    assert_eq!(
        (still.status, still.body.as_str()),
        (StatusCode::OK, "good via auth-trivial")
    );
    server.shutdown().await;
}

#[tokio::test]
async fn shutdown_lets_the_requests_in_flight_finish() {
    let server = serve(
        r#"
        [[plugin]]
        path = "{endless-loop}"
        paths = ["/slow"]
        [[route]]
        path = "/slow"
        "#,
    )
    .await;
    let addr = server.local_addr();
    let in_flight = tokio::spawn(async move {
        let request = hyper::Request::get(format!("http://{addr}/slow"))
            .body(Full::new(Bytes::new()))
            .unwrap();
        client().request(request).await.map(|r| r.status())
    });
    tokio::time::sleep(Duration::from_millis(30)).await;
    server.shutdown().await;
    // The endless loop hits its time limit; the chain fails closed: an answer, not a reset.
    let status = in_flight
        .await
        .unwrap()
        .expect("the request in flight got its answer");
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    // And nothing new is accepted.
    assert!(TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn a_changed_configuration_file_is_reloaded_by_the_watcher() {
    let scratch = tempdir("config-watch");
    let file = scratch.join("server.toml");
    let write = |body: &str| {
        let text = format!(
            "watch = true\n[[plugin]]\npath = \"{}\"\npaths = [\"/a/*\"]\n[[route]]\npath = \"/a/{{id}}\"\nbody = \"{body} {{auth.subject}}\"\n",
            plugin_dir("auth-trivial").display()
        );
        let tmp = scratch.join(".server.toml.new");
        std::fs::write(&tmp, text).unwrap();
        std::fs::rename(&tmp, &file).unwrap();
    };
    write("first");
    let server = Server::start(
        host(),
        ServeOptions {
            config: ServerConfig::from_file(&file).unwrap(),
            config_path: Some(file.clone()),
            base_dir: scratch.clone(),
            listen: Some("127.0.0.1:0".parse().unwrap()),
        },
    )
    .await
    .unwrap();
    let c = client();
    let good = [("authorization", "Bearer good")];
    assert_eq!(get(&c, &server, "/a/1", &good).await.body, "first good");
    write("second");
    wait_for_generation(&server, 2).await;
    assert_eq!(get(&c, &server, "/a/1", &good).await.body, "second good");
    // A configuration with an unknown key is refused, naming it; the last good one serves.
    std::fs::write(&file, "listen = \"127.0.0.1:0\"\nroutes = []\n").unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.shared().status().last_error.is_none() {
        assert!(
            Instant::now() < deadline,
            "the bad configuration was never noticed"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(server
        .shared()
        .status()
        .last_error
        .unwrap()
        .contains("routes"));
    assert_eq!(get(&c, &server, "/a/1", &good).await.body, "second good");
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(scratch);
}

/// MockForge's way in: the layers on its own axum router, without this repository's server.
#[tokio::test]
async fn the_layers_mount_on_a_plain_axum_router() {
    use axum::routing::get as route_get;
    use axum::{Extension, Router};
    use mockforge_component_http::{
        AuthChain, Authenticated, ChainPlugin, PathScope, RequestIdLayer, ResponseChain,
    };

    let host = host();
    let trivial = host.load(plugin_dir("auth-trivial")).await.unwrap();
    let template = host.load(plugin_dir("response-template")).await.unwrap();
    let auth = AuthChain::new(vec![
        ChainPlugin::new(trivial).scope(PathScope::new(["/users/*", "/echo/*"]))
    ]);
    let responses = ResponseChain::new(vec![ChainPlugin::new(template)]);
    async fn who(caller: Option<Extension<Authenticated>>) -> String {
        caller.map_or("nobody".into(), |Extension(c)| c.identity.subject.clone())
    }
    /// Every header the route got, in order.
    async fn headers_seen(headers: axum::http::HeaderMap) -> String {
        let seen: Vec<String> = headers
            .iter()
            .map(|(n, v)| format!("{n}={}", String::from_utf8_lossy(v.as_bytes())))
            .collect();
        seen.join(";")
    }
    let app = Router::new()
        .route("/users/{id}", route_get(who))
        .route("/echo/{id}", route_get(headers_seen))
        .route("/whoami", route_get(who))
        .route_layer(responses.layer())
        .layer(auth.layer())
        .layer(RequestIdLayer);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let served = tokio::spawn(async move { axum::serve(listener, app).await });

    let c = client();
    let fetch = |path: &'static str, auth: Option<&'static str>| {
        let c = c.clone();
        async move {
            let mut request = hyper::Request::get(format!("http://{addr}{path}"));
            if let Some(auth) = auth {
                request = request.header("authorization", auth);
            }
            let resp = c
                .request(request.body(Full::new(Bytes::new())).unwrap())
                .await
                .unwrap();
            let status = resp.status();
            let modified = resp.headers().contains_key("x-mockforge-plugin");
            let body = resp.into_body().collect().await.unwrap().to_bytes();
            (
                status,
                String::from_utf8_lossy(&body).into_owned(),
                modified,
            )
        }
    };
    let (status, _, _) = fetch("/users/1", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body, modified) = fetch("/users/1", Some("Bearer good")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("\"id\": \"1\""),
        "the template produced it: {body}"
    );
    assert!(modified);
    let (_, body, modified) = fetch("/whoami", None).await;
    assert_eq!(body, "nobody", "the template declined; the route answered");
    assert!(modified);

    // The plugins read the request's headers (the host takes them without copying); the route
    // still gets every one of them, repeated names and non-ASCII values included, after the
    // auth chain and while the response chain's modifiers still hold the request.
    let request = hyper::Request::get(format!("http://{addr}/echo/1"))
        .header("authorization", "Bearer good")
        .header("x-dup", "1")
        .header("x-dup", "2")
        .header("x-text", "caf\u{e9}")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let resp = c.request(request).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    let seen = String::from_utf8_lossy(&body);
    assert!(
        seen.contains("authorization=Bearer good;x-dup=1;x-dup=2;x-text=caf\u{e9}"),
        "the route saw: {seen}"
    );
    assert!(seen.contains("host="), "the route saw: {seen}");
    served.abort();
}

#[tokio::test]
async fn when_every_auth_plugin_abstains_the_server_answers_401_or_passes_as_configured() {
    // auth-trivial abstains on a request without an `authorization` header.
    let chain = format!(
        r#"
        [[plugin]]
        path = "{{auth-trivial}}"
        paths = ["/a/*"]
        {WHO}
        "#
    );
    let server = serve(&chain).await;
    let c = client();
    let refused = get(&c, &server, "/a/1", &[]).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(json(&refused)["error"], "authentication required");
    assert_eq!(
        refused.headers.get("www-authenticate").unwrap(),
        "Bearer realm=\"mockforge\""
    );
    // Credentials of its scheme are still decided by it.
    let allowed = get(&c, &server, "/a/1", &[("authorization", "Bearer good")]).await;
    assert_eq!(allowed.body, "good via auth-trivial");
    server.shutdown().await;

    let server = serve(&format!(
        r#"
        [http]
        when-auth-abstains = "pass"
        auth-challenges = ['ApiKey realm="mock"', 'Bearer realm="mock"']
        {chain}
        "#
    ))
    .await;
    let passed = get(&c, &server, "/a/1", &[]).await;
    assert_eq!(
        (passed.status, passed.body.as_str()),
        (StatusCode::OK, "anonymous via none")
    );
    let denied = get(&c, &server, "/a/1", &[("authorization", "Basic eDp5")]).await;
    assert_eq!(
        denied.status,
        StatusCode::UNAUTHORIZED,
        "a denial is not an abstention"
    );
    server.shutdown().await;

    let server = serve(&format!(
        r#"
        [http]
        auth-challenges = ['ApiKey realm="mock"', 'Bearer realm="mock"']
        {chain}
        "#
    ))
    .await;
    let refused = get(&c, &server, "/a/1", &[]).await;
    let challenges: Vec<_> = refused
        .headers
        .get_all("www-authenticate")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        challenges,
        ["ApiKey realm=\"mock\"", "Bearer realm=\"mock\""]
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_response_plugin_reads_the_matched_route_its_parameters_and_the_callers_identity() {
    let scratch = tempdir("route-context");
    let plugin = scratch.join("who-template");
    std::fs::create_dir_all(&plugin).unwrap();
    std::fs::copy(
        plugin_dir("response-template").join("plugin.wasm"),
        plugin.join("plugin.wasm"),
    )
    .unwrap();
    std::fs::write(
        plugin.join("plugin.toml"),
        r#"name = "who-template"
version = "1.0.0"
kind = "response"
[config]
route = "/users/{id}/orders/{order}"
template = '{"id": "{{path.id}}", "order": "{{path.order}}", "who": "{{identity.subject}}"}'
"#,
    )
    .unwrap();
    let server = serve(&format!(
        r#"
        [[plugin]]
        path = "{{auth-trivial}}"
        [[plugin]]
        path = "{}"
        [[route]]
        path = "/users/{{id}}/orders/{{order}}"
        body = "the route's own mock"
        [[route]]
        path = "/other/{{id}}"
        body = "not the plugin's route"
        "#,
        plugin.display()
    ))
    .await;
    let c = client();
    let good = [("authorization", "Bearer good")];
    let answer = get(&c, &server, "/users/J%C3%BCrgen/orders/7", &good).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(
        json(&answer),
        serde_json::json!({"id": "Jürgen", "order": "7", "who": "good"}),
        "path parameters arrive percent-decoded, with the identity auth-trivial established"
    );
    let other = get(&c, &server, "/other/1", &good).await;
    assert_eq!(other.body, "not the plugin's route");
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&scratch);
}

/// A plugin folder as MockForge ships it (a `plugin.yaml`, no `plugin.toml`) serves in the
/// chain, and the admin endpoint says where its manifest came from and which keys had no
/// effect.
#[tokio::test]
async fn a_mockforge_plugin_folder_serves_and_the_admin_lists_its_unused_keys() {
    let dir = tempdir("yaml");
    std::fs::copy(
        plugin_dir("auth-trivial").join("plugin.wasm"),
        dir.join("plugin.wasm"),
    )
    .unwrap();
    std::fs::write(
        dir.join("plugin.yaml"),
        "plugin:\n  id: trivial-yaml\n  version: \"1.0.0\"\n  types: [auth]\n  license: MIT\n",
    )
    .unwrap();
    let server = serve(&format!("[[plugin]]\npath = \"{}\"\n{WHO}", dir.display())).await;
    let c = client();
    let allowed = get(&c, &server, "/a/1", &[("authorization", "Bearer good")]).await;
    assert_eq!(
        (allowed.status, allowed.body.as_str()),
        (StatusCode::OK, "good via trivial-yaml")
    );
    let admin = json(&get(&c, &server, "/__mockforge/plugins", &[]).await);
    let plugin = &admin["plugins"][0];
    assert_eq!(plugin["name"], "trivial-yaml");
    assert_eq!(plugin["manifest"], "mock-forge-yaml");
    assert_eq!(plugin["unmapped_manifest_keys"][0]["key"], "plugin.license");
    server.shutdown().await;
}
