//! The Go component SDK (`guests/go`) stays sound on warm instances: its plugins are built
//! with standard Go, whose collector may run at any allocation and whose heap claims every
//! address above its data, so a Go component that works for its first calls only is not done.
//!
//! Each test loads a staged Go component through `PluginHost::load`, pinned to one pooled
//! instance (a copy of its folder with `pool-size = 1`), and makes 20,000 warm calls on it:
//! bodies up to 1 MiB copied in through the canonical ABI (import results and export
//! arguments, which land in memory the SDK's `cabi_realloc` hands out), tokens and headers
//! large enough to outgrow that memory, and Go collections, forced by the `go-gc-churn` test
//! plugin or by the allocations themselves. Every answer is checked exactly, and the instance
//! must never fail or be retired for its memory. Build the plugins first:
//! `bash guests/go/build.sh target/plugins/go` (or `just build-guests --languages go`).

use mockforge_component_host::{
    AuthOutcome, CapabilityPolicy, ContractVersion, DirRequest, Error, ErrorKind, HostConfig,
    Identity, InstanceStrategy, Manifest, Plugin, PluginError, PluginHost, Request, Response,
};
use mockforge_component_testkit::TempDir;
use mockforge_component_tests::conformance::vectors::{load_vectors, vectors_dir};
use mockforge_component_tests::{host, staged_language_dir};

/// Warm calls each test makes on its one instance.
const CALLS: u32 = 20_000;
const MIB: usize = 1 << 20;

/// Loads the staged Go plugin `name` from a copy of its folder whose manifest pins it to one
/// pooled instance.
async fn one_warm_instance(host: &PluginHost, scratch: &TempDir, name: &str) -> Plugin {
    one_warm_instance_with(host, scratch, name, "").await
}

/// [`one_warm_instance`] with `extra` (more manifest tables) appended to the manifest.
async fn one_warm_instance_with(
    host: &PluginHost,
    scratch: &TempDir,
    name: &str,
    extra: &str,
) -> Plugin {
    let staged = staged_language_dir("go").join(name);
    assert!(
        staged.join("plugin.wasm").is_file(),
        "{} is not built: run `bash guests/go/build.sh target/plugins/go`",
        staged.display()
    );
    let dir = scratch.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(staged.join("plugin.wasm"), dir.join("plugin.wasm")).unwrap();
    let manifest = std::fs::read_to_string(staged.join("plugin.toml")).unwrap();
    std::fs::write(dir.join("plugin.toml"), single_instance(&manifest) + extra).unwrap();
    let plugin = host
        .load(&dir)
        .await
        .unwrap_or_else(|e| panic!("loading {}: {e}", dir.display()));
    assert_eq!(plugin.info().limits.strategy, InstanceStrategy::Pooled);
    assert_eq!(plugin.info().limits.pool_size, 1);
    plugin
}

/// The manifest with its `[instances]` table replaced by one pooled instance.
fn single_instance(manifest: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            skipping = line.trim() == "[instances]";
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str("\n[instances]\nstrategy = \"pooled\"\npool-size = 1\n");
    out
}

/// After the calls: every one answered, none failed, the instance was never retired for its
/// memory (a heap that kept growing would be), and it is the one warm instance.
fn assert_sound(plugin: &Plugin, calls: u64) {
    let metrics = plugin.metrics();
    assert_eq!(metrics.calls, calls);
    assert!(metrics.errors.is_empty(), "{:?}", metrics.errors);
    assert_eq!(
        metrics.retired_instances, 0,
        "the instance outgrew its memory"
    );
    assert_eq!(plugin.warm_instances(), 1);
}

/// A body of `len` bytes, every one `fill`.
fn body(len: usize, fill: u8) -> Vec<u8> {
    vec![fill; len]
}

/// The body length of call `i`: mostly small, every 10th 1 MiB, others in between, so that
/// the memory the canonical ABI copies into grows at different moments.
fn body_len(i: u32) -> usize {
    match i % 10 {
        0 => MIB,
        3 => 300 << 10,
        7 => 70 << 10,
        _ => (i as usize * 37) % 4096,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn go_auth_jwt_answers_20000_warm_calls_on_one_instance_exactly() {
    let host = host();
    let scratch = TempDir::new("go-auth-jwt").unwrap();
    let plugin = one_warm_instance(&host, &scratch, "auth-jwt").await;
    let secret = b"mockforge-demo-secret";
    let token = |i: u32, padding: usize| {
        mockforge_component_testkit::hs256_jwt(
            secret,
            &serde_json::json!({
                "sub": format!("gopher-{i}"),
                "exp": 4_102_444_800_u64,
                "roles": ["reader", i.to_string()],
                "padding": "p".repeat(padding),
            }),
        )
    };
    for i in 0..CALLS {
        // A token of 64 KiB and more every 50th call (its claims within the host's 64 KiB cap
        // on an identity): larger than the SDK's first landing block, so the header's copy
        // takes a new block in the middle of a call.
        let padding = if i.is_multiple_of(50) {
            48 << 10
        } else {
            i as usize % 512
        };
        let request = |authorization: Option<String>| {
            let mut request = Request::new("POST", "/upload").with_body(body(body_len(i), b'x'));
            if let Some(value) = authorization {
                request = request.with_header("authorization", value);
            }
            request
        };
        match i % 4 {
            // A valid token: its identity, every claim.
            0 | 1 => {
                let outcome = plugin
                    .authenticate(request(Some(format!("Bearer {}", token(i, padding)))))
                    .await
                    .unwrap_or_else(|e| panic!("call {i}: {e}"));
                let AuthOutcome::Allow(identity) = outcome else {
                    panic!("call {i}: {outcome:?}");
                };
                assert_eq!(identity.subject, format!("gopher-{i}"), "call {i}");
                assert_eq!(identity.roles, ["reader".to_owned(), i.to_string()]);
                assert_eq!(
                    identity.claims["padding"].as_str().map(str::len),
                    Some(padding)
                );
            }
            // Another secret's signature: denied.
            2 => {
                let forged = mockforge_component_testkit::hs256_jwt(
                    b"another",
                    &serde_json::json!({"sub": "x"}),
                );
                match plugin
                    .authenticate(request(Some(format!("Bearer {forged}"))))
                    .await
                {
                    Ok(AuthOutcome::Deny(denial)) => {
                        assert_eq!(
                            (denial.status, denial.reason.as_str()),
                            (401, "invalid signature")
                        )
                    }
                    other => panic!("call {i}: {other:?}"),
                }
            }
            // No credentials: abstain.
            _ => match plugin.authenticate(request(None)).await {
                Ok(AuthOutcome::Abstain) => {}
                other => panic!("call {i}: {other:?}"),
            },
        }
    }
    assert_sound(&plugin, u64::from(CALLS));
}

#[tokio::test(flavor = "multi_thread")]
async fn go_response_template_answers_20000_warm_calls_on_one_instance_exactly() {
    let host = host();
    let scratch = TempDir::new("go-response-template").unwrap();
    let plugin = one_warm_instance(&host, &scratch, "response-template").await;
    for i in 0..CALLS {
        let id = format!("{i}-{}", "i".repeat(i as usize % 300));
        let request = Request::new("GET", &format!("/users/{i}"))
            .with_header("user-agent", format!("agent \"{i}\""))
            .with_route("/users/{id}", [("id".to_owned(), id.clone())])
            .with_body(body(body_len(i), b'b'));
        if i % 2 == 0 {
            let response = plugin
                .respond(request)
                .await
                .unwrap_or_else(|e| panic!("call {i}: {e}"))
                .unwrap_or_else(|| panic!("call {i}: declined"));
            assert_eq!(response.status, 200);
            let json: serde_json::Value =
                serde_json::from_slice(&response.body).unwrap_or_else(|e| {
                    panic!("call {i}: {e}: {}", String::from_utf8_lossy(&response.body))
                });
            assert_eq!(json["id"], id.as_str(), "call {i}");
            assert_eq!(json["method"], "GET");
            assert_eq!(json["agent"], format!("agent \"{i}\""));
        } else {
            // The mock's response, up to 1 MiB, is an argument of `modify`.
            let mock = Response {
                status: 201,
                headers: vec![("x-call".to_owned(), i.to_string())],
                body: body(body_len(i), b'm'),
            };
            let changed = plugin
                .modify(request, mock.clone())
                .await
                .unwrap_or_else(|e| panic!("call {i}: {e}"));
            assert_eq!(changed.status, 201);
            assert_eq!(
                changed.headers,
                [
                    ("x-call".to_owned(), i.to_string()),
                    (
                        "x-mockforge-plugin".to_owned(),
                        "response-template".to_owned()
                    )
                ]
            );
            assert!(changed.body == mock.body, "call {i}: the body changed");
        }
    }
    assert_sound(&plugin, u64::from(CALLS));
}

#[tokio::test(flavor = "multi_thread")]
async fn go_collections_forced_in_the_middle_of_calls_keep_every_byte_intact() {
    let host = host();
    let scratch = TempDir::new("go-gc-churn").unwrap();
    let plugin = one_warm_instance(&host, &scratch, "go-gc-churn").await;
    let path = |i: u32| {
        if i.is_multiple_of(3) {
            "/churn?gc"
        } else {
            "/churn"
        }
    };
    for i in 0..CALLS {
        let fill = (i % 251) as u8;
        let len = body_len(i);
        let request = Request::new("POST", path(i))
            .with_header("x-fill", fill.to_string())
            .with_header("x-padding", "h".repeat(i as usize % 2000))
            .with_body(body(len, fill));
        match i % 3 {
            0 => match plugin.authenticate(request).await {
                Ok(AuthOutcome::Allow(Identity {
                    subject, claims, ..
                })) => {
                    assert_eq!(subject, "churn");
                    assert_eq!(claims["bytes"], len, "call {i}");
                    assert_eq!(claims["headers"], 2, "call {i}");
                }
                other => panic!("call {i}: {other:?}"),
            },
            1 => {
                let response = plugin
                    .respond(request)
                    .await
                    .unwrap_or_else(|e| panic!("call {i}: {e}"))
                    .unwrap_or_else(|| panic!("call {i}: declined"));
                assert!(
                    response.body == body(len, fill),
                    "call {i}: the echoed body differs"
                );
            }
            _ => {
                let mock = Response {
                    status: 200,
                    headers: Vec::new(),
                    body: body(len, fill),
                };
                let changed = plugin
                    .modify(request, mock)
                    .await
                    .unwrap_or_else(|e| panic!("call {i}: {e}"));
                assert_eq!(
                    changed.header("x-churn-checked"),
                    Some(len.to_string().as_str())
                );
                assert_eq!(changed.body.len(), len);
            }
        }
    }
    assert_sound(&plugin, u64::from(CALLS));
}

/// A value larger than the instance's memory can grow to: the SDK's `cabi_realloc` cannot
/// get the memory, and the call fails with the host's memory-limit error (the copy never
/// writes anywhere else); the plugin's next calls, on a new instance, are answered.
#[tokio::test(flavor = "multi_thread")]
async fn a_value_larger_than_the_memory_limit_fails_the_call_and_the_next_call_is_answered() {
    let host = host();
    let scratch = TempDir::new("go-gc-churn-limit").unwrap();
    let plugin = one_warm_instance_with(
        &host,
        &scratch,
        "go-gc-churn",
        "\n[limits]\nmemory-mib = 32\n",
    )
    .await;
    let call = |len: usize| {
        plugin.authenticate(
            Request::new("POST", "/churn")
                .with_header("x-fill", "7")
                .with_body(body(len, 7)),
        )
    };
    assert!(matches!(call(MIB).await, Ok(AuthOutcome::Allow(_))));
    let err = call(40 * MIB)
        .await
        .expect_err("a 40 MiB body in 32 MiB of memory");
    assert_eq!(err.kind(), ErrorKind::MemoryLimit, "{err}");
    for _ in 0..3 {
        match call(MIB).await {
            Ok(AuthOutcome::Allow(identity)) => assert_eq!(identity.claims["bytes"], MIB),
            other => panic!("{other:?}"),
        }
    }
}

/// The generated bindings register a cleanup on every request, which only the runtime's
/// cleanup goroutine runs, and nothing runs it unless a call yields to the runtime: the SDK
/// yields every 64 calls. Without that, the queue holds every call's request and the heap
/// grows by about 125 bytes a call; 150,000 calls would pass the 16 MiB this test allows
/// (an instance grown to within an eighth of its limit is retired).
#[tokio::test(flavor = "multi_thread")]
async fn a_go_plugin_s_memory_stays_flat_over_150000_calls() {
    let host = host();
    let scratch = TempDir::new("go-auth-trivial").unwrap();
    let plugin = one_warm_instance_with(
        &host,
        &scratch,
        "auth-trivial",
        "\n[limits]\nmemory-mib = 16\n",
    )
    .await;
    const MANY: u32 = 150_000;
    for i in 0..MANY {
        let request = Request::new("GET", "/").with_header("authorization", "Bearer good");
        match plugin.authenticate(request).await {
            Ok(AuthOutcome::Allow(identity)) => assert_eq!(identity.subject, "good"),
            other => panic!("call {i}: {other:?}"),
        }
    }
    assert_sound(&plugin, u64::from(MANY));
}

/// The staged manifests pin the example plugins to warm instances (Go's start-up costs
/// milliseconds), and the test helper replaces that table whole.
#[test]
fn single_instance_replaces_the_instances_table() {
    let manifest = "name = \"x\"\n\n[config]\na = 1\n\n[instances]\nstrategy = \"pooled\"\n";
    let out = single_instance(manifest);
    assert!(out.contains("[config]\na = 1\n"));
    assert_eq!(out.matches("[instances]").count(), 1);
    assert!(out.ends_with("[instances]\nstrategy = \"pooled\"\npool-size = 1\n"));
}

/// The Go auth-jwt reads `jwks-file` with Go's own file API (`os.ReadFile`, through WASI) from
/// a folder the manifest is granted, and a folder not granted is a configuration error (the
/// conformance vectors cannot grant folders, so this is checked here, with a vector's case).
#[tokio::test(flavor = "multi_thread")]
async fn go_auth_jwt_reads_a_jwks_file_from_a_granted_folder_only() {
    let root = mockforge_component_tests::workspace_root().join("tests/conformance/vectors");
    let case = load_vectors(
        &vectors_dir(&root, ContractVersion::V0_2),
        ContractVersion::V0_2,
    )
    .into_iter()
    .find(|file| file.plugin == "auth-jwt")
    .expect("the 0.2 auth-jwt vectors")
    .cases
    .into_iter()
    .find(|case| case.name == "JWKS: the kid chooses rsa-2")
    .expect("the case");
    let keys = TempDir::new("go-jwks-file").unwrap();
    std::fs::write(
        keys.join("jwks.json"),
        case.config["jwks"].as_deref().expect("the case's JWKS"),
    )
    .unwrap();
    let dir = staged_language_dir("go").join("auth-jwt");
    let manifest = |granted: bool| {
        let mut manifest = Manifest::from_file(&dir.join("plugin.toml")).unwrap();
        let component = manifest.component_mut().unwrap();
        component.config.remove("secret");
        component
            .config
            .insert("jwks-file".into(), "/keys/jwks.json".into());
        if granted {
            component.capabilities.dirs.push(DirRequest {
                host: keys.path().to_owned(),
                guest: "/keys".into(),
            });
        }
        manifest
    };
    let bytes = std::fs::read(dir.join("plugin.wasm")).unwrap();

    let host = mockforge_component_tests::host_with(
        HostConfig::default().policy(CapabilityPolicy::deny_all().allow_dir(keys.path())),
    );
    let plugin = host
        .load_bytes(bytes.clone(), manifest(true), &dir)
        .await
        .unwrap();
    match plugin.authenticate(case.request()).await {
        Ok(AuthOutcome::Allow(identity)) => assert!(!identity.subject.is_empty()),
        other => panic!("the token signed by rsa-2, with the JWKS from the file: {other:?}"),
    }

    let plugin = mockforge_component_tests::host()
        .load_bytes(bytes, manifest(false), &dir)
        .await
        .unwrap();
    let err = plugin.authenticate(case.request()).await.unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Plugin {
                error: PluginError::InvalidConfig(_),
                ..
            }
        ),
        "{err}"
    );
}

/// Many tasks at once on the staged auth-jwt (its manifest's pool of warm instances): each
/// instance is a Go runtime of its own, and every answer is the caller's.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn go_auth_jwt_answers_concurrent_calls_on_its_pool() {
    let host = host();
    let dir = staged_language_dir("go").join("auth-jwt");
    let plugin = host
        .load(&dir)
        .await
        .unwrap_or_else(|e| panic!("loading {}: {e}", dir.display()));
    assert_eq!(plugin.info().limits.strategy, InstanceStrategy::Pooled);
    const TASKS: u32 = 8;
    const EACH: u32 = 400;
    let tasks: Vec<_> = (0..TASKS)
        .map(|task| {
            let plugin = plugin.clone();
            tokio::spawn(async move {
                for i in 0..EACH {
                    let subject = format!("task-{task}-call-{i}");
                    let token = mockforge_component_testkit::hs256_jwt(
                        b"mockforge-demo-secret",
                        &serde_json::json!({"sub": subject, "exp": 4_102_444_800_u64}),
                    );
                    let request = Request::new("POST", "/upload")
                        .with_header("authorization", format!("Bearer {token}"))
                        .with_body(body(body_len(i + task), b'c'));
                    match plugin.authenticate(request).await {
                        Ok(AuthOutcome::Allow(identity)) => assert_eq!(identity.subject, subject),
                        other => panic!("{subject}: {other:?}"),
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let metrics = plugin.metrics();
    assert_eq!(metrics.calls, u64::from(TASKS * EACH));
    assert!(metrics.errors.is_empty(), "{:?}", metrics.errors);
    assert_eq!(metrics.retired_instances, 0);
}

/// A panic in a Go plugin is the plugin's internal error with the panic's message, and the
/// same warm instance answers the next calls.
#[tokio::test(flavor = "multi_thread")]
async fn a_go_panic_is_an_internal_error_and_the_instance_keeps_serving() {
    let host = host();
    let scratch = TempDir::new("go-gc-churn-panic").unwrap();
    let plugin = one_warm_instance(&host, &scratch, "go-gc-churn").await;
    for i in 0..200u32 {
        let request = Request::new("POST", "/churn")
            .with_header("x-fill", "1")
            .with_body(body(body_len(i), 1));
        if i % 2 == 0 {
            let err = plugin
                .authenticate(request.with_header("x-panic", format!("boom {i}")))
                .await
                .unwrap_err();
            match &err {
                Error::Plugin {
                    error: PluginError::Internal(message),
                    ..
                } => assert!(message.contains(&format!("boom {i}")), "{message}"),
                other => panic!("call {i}: {other}"),
            }
        } else {
            match plugin.authenticate(request).await {
                Ok(AuthOutcome::Allow(identity)) => assert_eq!(identity.subject, "churn"),
                other => panic!("call {i}: {other:?}"),
            }
        }
    }
    assert_eq!(plugin.metrics().retired_instances, 0);
    assert_eq!(plugin.warm_instances(), 1);
}
