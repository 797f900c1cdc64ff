//! Remote plugins over HTTP, end to end with real processes on 127.0.0.1: the Python SDK's
//! examples under uvicorn for the happy paths and kill/restart, and small hyper servers in
//! this file for remotes that misbehave (hang, 500, garbage, oversized, wrong shape).
//! Nothing is mocked at the HTTP layer. Python dependencies come from
//! `bash guests/python/setup.sh`. The conformance vectors run on the Python remote plugin in
//! `conformance.rs`.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use mockforge_component_host::{
    AuthOutcome, BreakerState, Error, ErrorKind, HostConfig, HttpVersion, Manifest, OnUnavailable,
    Plugin, PluginError, PluginKind, RemoteSettings, Request, Response, MAX_ERROR_MESSAGE_BYTES,
};
use mockforge_component_testkit::{free_port, ChildProcess, RemoteExamples, TempDir};
use mockforge_component_tests::{host, host_with, workspace_root};
use serde_json::Value;

const SECRET: &str = "remote-test-secret";

/// The Python SDK's examples, run by this checkout's interpreter; fails with the fix when the
/// SDK is not installed.
fn examples() -> RemoteExamples {
    RemoteExamples::of_checkout(&workspace_root()).unwrap_or_else(|e| panic!("{e}"))
}

/// One of `guests/python/remote-examples/<module>.py` under uvicorn on `port`.
fn uvicorn(module: &str, port: u16, env: &[(&str, &str)]) -> ChildProcess {
    examples()
        .uvicorn(module, port, SECRET, env)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A folder for one test's files under the target directory, removed when dropped.
fn scratch(label: &str) -> TempDir {
    TempDir::new_in(&workspace_root().join("target/remote-test"), label).expect("a scratch folder")
}

fn manifest(kind: PluginKind, port: u16, edit: impl FnOnce(&mut RemoteSettings)) -> Manifest {
    let mut manifest = Manifest::remote("remote-test", kind, format!("http://127.0.0.1:{port}"));
    let settings = manifest.remote_settings_mut().expect("a remote manifest");
    settings.secret = Some(SECRET.into());
    settings.health_interval_ms = Some(0);
    edit(settings);
    manifest
}

async fn load(manifest: Manifest) -> Plugin {
    host()
        .load_remote(manifest)
        .await
        .expect("the remote plugin loads")
}

fn bearer(token: &str) -> Request {
    Request::new("GET", "/orders").with_header("authorization", format!("Bearer {token}"))
}

fn denial_status(outcome: &AuthOutcome) -> Option<u16> {
    match outcome {
        AuthOutcome::Deny(denial) => Some(denial.status),
        AuthOutcome::Abstain => panic!("a remote plugin (protocol 0.1) abstained"),
        AuthOutcome::Allow(_) => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oauth2_introspection_through_the_host_and_a_wrong_secret_is_refused() {
    let stub_port = free_port();
    let port_text = stub_port.to_string();
    let _stub = examples()
        .run(
            "introspection stub",
            &[
                "introspection_stub.py",
                "--port",
                &port_text,
                "--client-id",
                "mockforge",
                "--client-secret",
                "s3cret",
            ],
            stub_port,
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let port = free_port();
    let introspection_url = format!("http://127.0.0.1:{stub_port}/introspect");
    let env = [
        (
            "MOCKFORGE_CONFIG_INTROSPECTION_URL",
            introspection_url.as_str(),
        ),
        ("MOCKFORGE_CONFIG_CLIENT_ID", "mockforge"),
        ("MOCKFORGE_CONFIG_CLIENT_SECRET", "s3cret"),
    ];
    let _server = uvicorn("introspection_auth", port, &env);

    // Through a plugin.toml on disk, as an embedder would load it.
    let dir = scratch("introspection");
    std::fs::write(
        dir.join("plugin.toml"),
        format!(
            "name = \"oauth2-introspection\"\nversion = \"0.1.0\"\nkind = \"auth\"\n\n\
             [remote]\nendpoint = \"http://127.0.0.1:{port}\"\nsecret = \"{SECRET}\"\n\
             timeout-ms = 2000\n"
        ),
    )
    .unwrap();
    let plugin = host()
        .load(dir.path())
        .await
        .expect("loads from plugin.toml");
    assert_eq!(
        plugin.info().endpoint.as_deref(),
        Some(format!("http://127.0.0.1:{port}").as_str())
    );
    plugin.probe().await.unwrap();

    let AuthOutcome::Allow(identity) = plugin.authenticate(bearer("good-token")).await.unwrap()
    else {
        panic!("good-token is active")
    };
    assert_eq!(identity.subject, "alice");
    assert_eq!(identity.username.as_deref(), Some("alice"));
    assert_eq!(identity.roles, ["read", "write"]);
    assert_eq!(
        identity.claim("iss"),
        Some(&Value::from("https://issuer.test"))
    );
    let outcome = plugin.authenticate(bearer("revoked")).await.unwrap();
    assert_eq!(denial_status(&outcome), Some(401));
    let outcome = plugin.authenticate(Request::new("GET", "/")).await.unwrap();
    assert_eq!(denial_status(&outcome), Some(401));

    let wrong = load(manifest(PluginKind::Auth, port, |s| {
        s.secret = Some("wrong".into());
        s.on_unavailable = OnUnavailable::Error;
    }))
    .await;
    match wrong.authenticate(bearer("good-token")).await {
        Err(Error::Remote {
            status: 401,
            message,
            ..
        }) => assert!(message.contains("unauthorized"), "{message}"),
        other => panic!("a wrong secret must be refused, got {other:?}"),
    }
    // The embedder's secret wins over the manifest's.
    let embedder = host_with(HostConfig::default().remote_secret("remote-test", SECRET))
        .load_remote(manifest(PluginKind::Auth, port, |s| {
            s.secret = Some("wrong".into())
        }))
        .await
        .unwrap();
    assert!(matches!(
        embedder.authenticate(bearer("good-token")).await,
        Ok(AuthOutcome::Allow(_))
    ));
    // A manifest whose kind the remote does not offer fails its probe, naming the field.
    let mismatched = load(manifest(PluginKind::Both, port, |_| {})).await;
    match mismatched.probe().await {
        Err(Error::RemoteProtocol { field, .. }) => assert_eq!(field.as_deref(), Some("kind")),
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_response_plugin_responds_declines_modifies_and_reports_its_errors() {
    let port = free_port();
    let _server = uvicorn("hello_response", port, &[]);
    let plugin = load(manifest(PluginKind::Response, port, |_| {})).await;
    plugin.probe().await.unwrap();
    let response = plugin
        .respond(Request::new("GET", "/hello/ada?greeting=hi"))
        .await
        .unwrap()
        .expect("a response");
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(response.body, br#"{"message": "hi, ada"}"#);
    assert_eq!(
        plugin.respond(Request::new("GET", "/other")).await.unwrap(),
        None
    );
    let mock = Response {
        status: 204,
        headers: vec![("x-a".into(), "1".into())],
        body: vec![0, 159, 146, 150],
    };
    let modified = plugin
        .modify(Request::new("GET", "/"), mock.clone())
        .await
        .unwrap();
    assert_eq!(modified.body, mock.body, "binary bodies survive base64");
    assert_eq!(modified.header("x-modified-by"), Some("hello-response"));
    match plugin.respond(Request::new("GET", "/hello/")).await {
        Err(Error::Plugin {
            error: PluginError::InvalidRequest(message),
            ..
        }) => assert_eq!(message, "no single name in '/hello/'"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        plugin.authenticate(Request::new("GET", "/")).await,
        Err(Error::Unsupported { .. })
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_remote_opens_the_breaker_fails_closed_and_recovers_when_restarted() {
    let port = free_port();
    let mut server = uvicorn("trivial_auth", port, &[]);
    let plugin = load(manifest(PluginKind::Auth, port, |s| {
        s.breaker_failures = Some(3);
        s.breaker_cooldown_ms = Some(300);
        s.retries = Some(1);
        s.timeout_ms = Some(500);
    }))
    .await;
    assert!(matches!(
        plugin.authenticate(bearer("good")).await,
        Ok(AuthOutcome::Allow(_))
    ));

    server.kill();
    for _ in 0..3 {
        let outcome = plugin.authenticate(bearer("good")).await.unwrap();
        assert_eq!(
            denial_status(&outcome),
            Some(503),
            "fail closed: {outcome:?}"
        );
    }
    let remote = plugin.metrics().remote.unwrap();
    assert_eq!(remote.breaker, BreakerState::Open);
    assert_eq!(remote.breaker_opened, 1);
    assert_eq!(remote.fallbacks, 3);
    // Open: the call fails fast without trying to connect.
    let started = Instant::now();
    let AuthOutcome::Deny(denial) = plugin.authenticate(bearer("good")).await.unwrap() else {
        panic!("fail closed")
    };
    assert!(
        started.elapsed() < Duration::from_millis(50),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(denial.headers, [("retry-after".to_owned(), "1".to_owned())]);
    assert!(plugin.metrics().errors[&ErrorKind::Unavailable] >= 4);

    let _restarted = uvicorn("trivial_auth", port, &[]);
    let started = Instant::now();
    loop {
        match plugin.authenticate(bearer("good")).await {
            Ok(AuthOutcome::Allow(_)) => break,
            other => assert!(
                started.elapsed() < Duration::from_secs(10),
                "no recovery: {other:?}"
            ),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        plugin.metrics().remote.unwrap().breaker,
        BreakerState::Closed
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_remote_fails_open_or_returns_the_error_as_chosen() {
    let port = free_port();
    let open = load(manifest(PluginKind::Auth, port, |s| {
        s.on_unavailable = OnUnavailable::Allow;
        s.retries = Some(2);
    }))
    .await;
    let AuthOutcome::Allow(identity) = open.authenticate(bearer("x")).await.unwrap() else {
        panic!("fail open")
    };
    assert_eq!(identity.subject, "anonymous");
    assert_eq!(identity.claim("fail-open"), Some(&Value::Bool(true)));
    let metrics = open.metrics();
    assert_eq!(
        metrics.remote.unwrap().retries,
        2,
        "connection refused is retried"
    );
    assert_eq!(metrics.errors[&ErrorKind::Unavailable], 1);

    let typed = load(manifest(PluginKind::Auth, port, |s| {
        s.on_unavailable = OnUnavailable::Error;
        s.retries = Some(0);
    }))
    .await;
    let err = typed.authenticate(bearer("x")).await.unwrap_err();
    assert!(matches!(err, Error::Unavailable { .. }), "{err}");
    assert_eq!(err.plugin(), "remote-test");
    assert!(err.to_string().contains("cannot connect"), "{err}");
    // Background health checks open the breaker of an idle plugin whose remote is down.
    let checked = load(manifest(PluginKind::Auth, port, |s| {
        s.health_interval_ms = Some(20);
        s.breaker_failures = Some(2);
    }))
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let remote = checked.metrics().remote.unwrap();
    assert_eq!(remote.breaker, BreakerState::Open);
    assert!(remote.health_failures >= 2);
}

/// How a test remote answers `POST /authenticate`.
#[derive(Clone, Copy)]
enum Behaviour {
    Allow {
        delay: Duration,
    },
    Hang,
    Status(u16),
    Garbage,
    Oversized,
    WrongShape,
    /// 200 with this body, whatever the path.
    Json(&'static str),
    /// 500 with an error envelope of this kind whose message is `bytes` long.
    HugeError {
        kind: &'static str,
        bytes: usize,
    },
}

/// A hyper server that answers as told and counts what it sees.
struct TestRemote {
    addr: SocketAddr,
    stats: Arc<Stats>,
    task: tokio::task::JoinHandle<()>,
}

#[derive(Default)]
struct Stats {
    requests: AtomicUsize,
    connections: AtomicUsize,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    versions: Mutex<Vec<hyper::Version>>,
}

impl Drop for TestRemote {
    fn drop(&mut self) {
        self.task.abort();
    }
}

struct InFlight(Arc<Stats>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn test_remote(behaviour: Behaviour) -> TestRemote {
    test_remote_with(behaviour, None).await
}

/// A test remote, speaking TLS (HTTP/2 or HTTP/1.1 by ALPN) when given an acceptor.
async fn test_remote_with(
    behaviour: Behaviour,
    tls: Option<tokio_rustls::TlsAcceptor>,
) -> TestRemote {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let stats = Arc::new(Stats::default());
    let shared = stats.clone();
    let task = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                break;
            };
            shared.connections.fetch_add(1, Ordering::SeqCst);
            let stats = shared.clone();
            let tls = tls.clone();
            tokio::spawn(async move {
                match tls {
                    None => serve_connection(stream, behaviour, stats).await,
                    Some(acceptor) => {
                        if let Ok(stream) = acceptor.accept(stream).await {
                            serve_connection(stream, behaviour, stats).await
                        }
                    }
                }
            });
        }
    });
    TestRemote { addr, stats, task }
}

async fn serve_connection<S>(stream: S, behaviour: Behaviour, stats: Arc<Stats>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |request| answer(behaviour, stats.clone(), request));
    let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

async fn answer(
    behaviour: Behaviour,
    stats: Arc<Stats>,
    request: hyper::Request<hyper::body::Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, Infallible> {
    stats.requests.fetch_add(1, Ordering::SeqCst);
    let now = stats.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    stats.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let _in_flight = InFlight(stats.clone());
    stats.versions.lock().unwrap().push(request.version());
    let reply = |status: u16, body: Vec<u8>| {
        Ok(hyper::Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(body)))
            .unwrap())
    };
    match behaviour {
        Behaviour::Allow { delay } => {
            tokio::time::sleep(delay).await;
            reply(
                200,
                br#"{"outcome":"allow","identity":{"subject":"rust"}}"#.to_vec(),
            )
        }
        Behaviour::Hang => {
            std::future::pending::<()>().await;
            unreachable!()
        }
        Behaviour::Status(status) => reply(status, b"Internal Server Error".to_vec()),
        Behaviour::Garbage => reply(200, b"<html>not json".to_vec()),
        Behaviour::Oversized => reply(200, vec![b' '; 2 << 20]),
        Behaviour::WrongShape => reply(
            200,
            br#"{"outcome":"allow","identity":{"subject":42}}"#.to_vec(),
        ),
        Behaviour::Json(body) => reply(200, body.as_bytes().to_vec()),
        Behaviour::HugeError { kind, bytes } => {
            let message = "e".repeat(bytes);
            let envelope = serde_json::json!({ "error": { "kind": kind, "message": message } });
            reply(500, envelope.to_string().into_bytes())
        }
    }
}

async fn plugin_for(remote: &TestRemote, edit: impl FnOnce(&mut RemoteSettings)) -> Plugin {
    load(manifest(PluginKind::Auth, remote.addr.port(), |s| {
        s.on_unavailable = OnUnavailable::Error;
        edit(s);
    }))
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_remote_gets_its_deadline_and_no_retry_storm() {
    let remote = test_remote(Behaviour::Hang).await;
    let plugin = plugin_for(&remote, |s| {
        s.timeout_ms = Some(300);
        s.retries = Some(5);
    })
    .await;
    for _ in 0..3 {
        let started = Instant::now();
        let err = plugin.authenticate(bearer("x")).await.unwrap_err();
        let elapsed = started.elapsed();
        assert!(matches!(err, Error::Timeout { .. }), "{err}");
        assert!(
            elapsed >= Duration::from_millis(300) && elapsed < Duration::from_millis(600),
            "{elapsed:?}"
        );
    }
    assert_eq!(
        remote.stats.requests.load(Ordering::SeqCst),
        3,
        "a timeout after the request was sent is not retried"
    );
    assert_eq!(plugin.metrics().remote.unwrap().retries, 0);
    assert_eq!(plugin.metrics().errors[&ErrorKind::Timeout], 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_500_garbage_an_oversized_body_and_a_wrong_shape_are_typed_errors() {
    let remote = test_remote(Behaviour::Status(500)).await;
    let plugin = plugin_for(&remote, |_| {}).await;
    match plugin.authenticate(bearer("x")).await {
        Err(Error::Remote {
            status: 500,
            message,
            ..
        }) => assert_eq!(message, "Internal Server Error"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        remote.stats.requests.load(Ordering::SeqCst),
        1,
        "500 is not retried"
    );

    let remote = test_remote(Behaviour::Garbage).await;
    match plugin_for(&remote, |_| {})
        .await
        .authenticate(bearer("x"))
        .await
    {
        Err(Error::RemoteProtocol {
            field: None,
            message,
            ..
        }) => {
            assert!(message.contains("not JSON"), "{message}")
        }
        other => panic!("{other:?}"),
    }

    let remote = test_remote(Behaviour::Oversized).await;
    let plugin = plugin_for(&remote, |s| s.max_response_bytes = Some(64 << 10)).await;
    match plugin.authenticate(bearer("x")).await {
        Err(err @ Error::RemoteProtocol { .. }) => {
            assert!(err.to_string().contains("cap of 65536 bytes"), "{err}")
        }
        other => panic!("{other:?}"),
    }

    let remote = test_remote(Behaviour::WrongShape).await;
    let err = plugin_for(&remote, |_| {})
        .await
        .authenticate(bearer("x"))
        .await
        .unwrap_err();
    match &err {
        Error::RemoteProtocol { field, .. } => {
            assert_eq!(field.as_deref(), Some("identity.subject"))
        }
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string().contains("field `identity.subject`"),
        "{err}"
    );
    assert_eq!(err.kind(), ErrorKind::RemoteProtocol);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_503_is_retried_with_backoff_then_reported_unavailable() {
    let remote = test_remote(Behaviour::Status(503)).await;
    let plugin = plugin_for(&remote, |s| s.retries = Some(2)).await;
    let err = plugin.authenticate(bearer("x")).await.unwrap_err();
    assert!(matches!(err, Error::Unavailable { .. }), "{err}");
    assert_eq!(remote.stats.requests.load(Ordering::SeqCst), 3);
    assert_eq!(plugin.metrics().remote.unwrap().retries, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_calls_stay_within_a_pool_cap_of_ten() {
    let remote = test_remote(Behaviour::Allow {
        delay: Duration::from_millis(5),
    })
    .await;
    let plugin = plugin_for(&remote, |s| {
        s.max_concurrency = Some(10);
        s.timeout_ms = Some(10_000);
    })
    .await;
    let calls: Vec<_> = (0..200)
        .map(|_| {
            let plugin = plugin.clone();
            tokio::spawn(async move { plugin.authenticate(bearer("x")).await })
        })
        .collect();
    for call in calls {
        assert!(matches!(call.await.unwrap(), Ok(AuthOutcome::Allow(_))));
    }
    let stats = &remote.stats;
    assert_eq!(stats.requests.load(Ordering::SeqCst), 200);
    let max = stats.max_in_flight.load(Ordering::SeqCst);
    assert!((2..=10).contains(&max), "max in flight {max}");
    let connections = stats.connections.load(Ordering::SeqCst);
    assert!(
        connections <= 20,
        "{connections} connections for 200 calls: keep-alive works"
    );
    assert_eq!(plugin.metrics().calls, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http2_by_prior_knowledge_and_http1_by_default() {
    let remote = test_remote(Behaviour::Allow {
        delay: Duration::ZERO,
    })
    .await;
    let h2 = plugin_for(&remote, |s| s.http = HttpVersion::Http2).await;
    let h1 = plugin_for(&remote, |_| {}).await;
    for plugin in [&h2, &h1] {
        assert!(matches!(
            plugin.authenticate(bearer("x")).await,
            Ok(AuthOutcome::Allow(_))
        ));
    }
    assert_eq!(
        *remote.stats.versions.lock().unwrap(),
        [hyper::Version::HTTP_2, hyper::Version::HTTP_11]
    );
}

/// Runs the `openssl` command line in `dir`.
fn openssl(dir: &std::path::Path, args: &[&str]) {
    let status = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("the openssl command line makes the test certificates");
    assert!(status.success(), "openssl {args:?} failed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_is_verified_against_the_system_roots() {
    // A CA of our own, made the system's root store through SSL_CERT_FILE (which
    // rustls-native-certs honours), and a leaf for 127.0.0.1 signed by it.
    // Kept after the test: SSL_CERT_FILE below points into it for the rest of this process,
    // and every Python remote started later inherits it.
    let dir = workspace_root().join(format!("target/remote-test/tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    openssl(
        &dir,
        &[
            &["req", "-x509"],
            &ec[..],
            &[
                "-days",
                "1",
                "-subj",
                "/CN=test root",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign",
            ],
        ]
        .concat(),
    );
    openssl(
        &dir,
        &[
            &["req"],
            &ec[..],
            &[
                "-subj",
                "/CN=127.0.0.1",
                "-keyout",
                "leaf.key",
                "-out",
                "leaf.csr",
            ],
        ]
        .concat(),
    );
    std::fs::write(
        dir.join("leaf.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        &dir,
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "1",
            "-extfile",
            "leaf.ext",
            "-outform",
            "DER",
            "-out",
            "leaf.der",
        ],
    );
    openssl(
        &dir,
        &[
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            "leaf.key",
            "-outform",
            "DER",
            "-out",
            "leaf.key.der",
        ],
    );

    let certificate = std::fs::read(dir.join("leaf.der")).unwrap();
    let key = std::fs::read(dir.join("leaf.key.der")).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![certificate.into()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.into()),
        )
        .unwrap();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let remote = test_remote_with(
        Behaviour::Allow {
            delay: Duration::ZERO,
        },
        Some(acceptor),
    )
    .await;

    // Process-wide, but no other test in this binary loads an https plugin.
    std::env::set_var("SSL_CERT_FILE", dir.join("ca.pem"));
    let mut manifest = manifest(PluginKind::Auth, remote.addr.port(), |s| {
        s.on_unavailable = OnUnavailable::Error
    });
    let settings = manifest.remote_settings_mut().unwrap();
    settings.endpoint = settings.endpoint.replace("http://", "https://");
    let plugin = load(manifest).await;
    let outcome = plugin.authenticate(bearer("x")).await;
    assert!(matches!(outcome, Ok(AuthOutcome::Allow(_))), "{outcome:?}");
    assert_eq!(
        *remote.stats.versions.lock().unwrap(),
        [hyper::Version::HTTP_2],
        "HTTP/2 by ALPN"
    );
}

/// A plugin of `kind` on `remote`, failing with its errors rather than falling back.
async fn plugin_of_kind(remote: &TestRemote, kind: PluginKind) -> Plugin {
    load(manifest(kind, remote.addr.port(), |s| {
        s.on_unavailable = OnUnavailable::Error;
    }))
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remote_answer_that_is_not_valid_http_is_an_invalid_answer_naming_the_field() {
    let auth_cases = [
        (
            r#"{"outcome":"deny","denial":{"status":200,"reason":"a denial that says OK"}}"#,
            "denial.status",
        ),
        (
            r#"{"outcome":"deny","denial":{"status":101,"reason":"switching"}}"#,
            "denial.status",
        ),
        (
            r#"{"outcome":"deny","denial":{"status":401,"reason":"no","headers":[["a","1\r\nX-Evil: 1"]]}}"#,
            "denial.headers[0].value",
        ),
        (
            r#"{"outcome":"deny","denial":{"status":401,"reason":"no","headers":[["","v"]]}}"#,
            "denial.headers[0].name",
        ),
        (
            r#"{"outcome":"allow","identity":{"subject":""}}"#,
            "identity.subject",
        ),
    ];
    for (body, field) in auth_cases {
        let remote = test_remote(Behaviour::Json(body)).await;
        let plugin = plugin_of_kind(&remote, PluginKind::Auth).await;
        let err = plugin.authenticate(bearer("x")).await.unwrap_err();
        assert_invalid_answer(&err, field, body);
        assert_eq!(plugin.metrics().errors[&ErrorKind::InvalidAnswer], 1);
    }
    let respond_cases = [
        (r#"{"response":{"status":0}}"#, "response.status"),
        (r#"{"response":{"status":999}}"#, "response.status"),
        (r#"{"response":{"status":65535}}"#, "response.status"),
        (
            r#"{"response":{"status":200,"headers":[["a\r\nX-Evil","1"]]}}"#,
            "response.headers[0].name",
        ),
        (
            r#"{"response":{"status":200,"headers":[["x","ok"],["y","nul\u0000"]]}}"#,
            "response.headers[1].value",
        ),
    ];
    for (body, field) in respond_cases {
        let remote = test_remote(Behaviour::Json(body)).await;
        let plugin = plugin_of_kind(&remote, PluginKind::Response).await;
        let err = plugin.respond(Request::new("GET", "/")).await.unwrap_err();
        assert_invalid_answer(&err, field, body);
        let mock = Response {
            status: 200,
            headers: Vec::new(),
            body: Vec::new(),
        };
        let err = plugin
            .modify(Request::new("GET", "/"), mock)
            .await
            .unwrap_err();
        assert_invalid_answer(&err, field, body);
    }
}

fn assert_invalid_answer(err: &Error, field: &str, body: &str) {
    match err {
        Error::InvalidAnswer {
            plugin,
            field: found,
            ..
        } => {
            assert_eq!(plugin, "remote-test", "{body}");
            assert_eq!(found, field, "{body}");
        }
        other => panic!("{body}: {other:?}"),
    }
    assert!(err.to_string().contains(field), "{err}");
    assert_eq!(err.kind(), ErrorKind::InvalidAnswer);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_respond_answer_of_the_wrong_shape_is_a_protocol_error_not_a_decline() {
    for body in [
        "{}",
        r#"{"respnse":null}"#,
        r#"{"status":200,"headers":[],"body":""}"#,
    ] {
        let remote = test_remote(Behaviour::Json(body)).await;
        let plugin = plugin_of_kind(&remote, PluginKind::Response).await;
        match plugin.respond(Request::new("GET", "/")).await {
            Err(Error::RemoteProtocol { field, .. }) => {
                assert_eq!(field.as_deref(), Some("response"), "{body}")
            }
            other => panic!("{body}: {other:?}"),
        }
    }
    let remote = test_remote(Behaviour::Json(r#"{"response":null}"#)).await;
    let plugin = plugin_of_kind(&remote, PluginKind::Response).await;
    assert_eq!(
        plugin.respond(Request::new("GET", "/")).await.unwrap(),
        None
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_50_mb_error_message_from_a_remote_is_truncated_with_a_marker() {
    const BYTES: usize = 50 << 20;
    let remote = test_remote(Behaviour::HugeError {
        kind: "internal",
        bytes: BYTES,
    })
    .await;
    let plugin = plugin_for(&remote, |s| s.max_response_bytes = Some(64 << 20)).await;
    match plugin.authenticate(bearer("x")).await {
        Err(Error::Plugin {
            error: PluginError::Internal(message),
            ..
        }) => {
            assert!(
                message.len() <= MAX_ERROR_MESSAGE_BYTES + 64,
                "{}",
                message.len()
            );
            assert!(
                message.ends_with("… [truncated, 52428800 bytes]"),
                "{}",
                &message[message.len() - 60..]
            );
        }
        other => panic!("{:?}", other.map_err(|e| e.kind())),
    }

    // An error kind the protocol does not know: the envelope's text, cut the same way.
    let remote = test_remote(Behaviour::HugeError {
        kind: "teapot",
        bytes: BYTES,
    })
    .await;
    let plugin = plugin_for(&remote, |s| s.max_response_bytes = Some(64 << 20)).await;
    let err = plugin.authenticate(bearer("x")).await.unwrap_err();
    let text = err.to_string();
    assert!(text.len() < MAX_ERROR_MESSAGE_BYTES + 200, "{}", text.len());
    match err {
        Error::Remote {
            status: 500,
            message,
            ..
        } => {
            assert!(message.starts_with("teapot: eee"), "{}", &message[..40]);
            // "teapot: " and the 50 MiB message.
            assert!(
                message.ends_with("… [truncated, 52428808 bytes]"),
                "{}",
                &message[message.len() - 60..]
            );
        }
        other => panic!("{other}"),
    }
}
