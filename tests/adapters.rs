//! Legacy core-module plugins through the adapters: classification, the produced component,
//! loading through the host (which adapts automatically), the WAT fixtures of
//! `fixtures/legacy/`, and every kind of bad legacy module. The legacy plugins built from
//! source (`guests/rust-legacy/`) run in the conformance suite (`conformance.rs`).

use mockforge_component_adapters::{
    adapt, classify, AdaptError, AdapterMemory, Allocator, Classification, Family, ResultShape,
    WarmInstances, ADAPTED_CONTRACT, RESERVED_FOR_ADAPTER,
};
use mockforge_component_host::{
    AuthOutcome, Error, Identity, InstanceStrategy, Manifest, Plugin, PluginHost, PluginKind,
    Request,
};
use mockforge_component_tests::{host, workspace_root};

const AUTH_EXPORT: &str = ADAPTED_CONTRACT.auth_interface();
const RESPONDER_EXPORT: &str = ADAPTED_CONTRACT.responder_interface();

/// The binary of `fixtures/legacy/<name>.wat`.
fn fixture(name: &str) -> Vec<u8> {
    let path = workspace_root().join(format!("tests/fixtures/legacy/{name}.wat"));
    wat::parse_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

async fn load_fixture(host: &PluginHost, name: &str) -> Result<Plugin, Error> {
    load_fixture_with(host, name, Manifest::new(name, PluginKind::Auth)).await
}

async fn load_fixture_with(
    host: &PluginHost,
    name: &str,
    manifest: Manifest,
) -> Result<Plugin, Error> {
    host.load_bytes(fixture(name), manifest, ".").await
}

fn request(authorization: &str) -> Request {
    Request::new("GET", "/orders?page=2").with_header("authorization", authorization)
}

/// The error of a call to `name`, which must name the plugin.
async fn call_error(host: &PluginHost, name: &str) -> Error {
    let plugin = load_fixture(host, name)
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let err = plugin
        .authenticate(request("Bearer good"))
        .await
        .unwrap_err();
    assert_eq!(err.plugin(), name, "{err}");
    err
}

/// A legacy plugin still answers on `host` after another one failed.
async fn host_still_serves(host: &PluginHost) {
    let plugin = load_fixture(host, "allow").await.expect("allow loads");
    let outcome = plugin
        .authenticate(request("anything"))
        .await
        .expect("allow answers");
    assert!(matches!(outcome, AuthOutcome::Allow(_)));
}

#[test]
fn a_component_passes_through_untouched() {
    let component = wat::parse_str("(component)").unwrap();
    let adapted = adapt(&component).unwrap();
    assert!(adapted.legacy.is_none());
    assert_eq!(&*adapted.component, component.as_slice());
    assert_eq!(classify(&component).unwrap(), Classification::Component);
}

#[test]
fn legacy_modules_are_classified_by_their_exports() {
    let Classification::Legacy(allow) = classify(&fixture("allow")).unwrap() else {
        panic!("not read as legacy");
    };
    assert_eq!(allow.family, Family::J);
    assert_eq!(allow.allocator, Allocator::AllocDealloc { dealloc: true });
    assert_eq!(allow.auth.as_ref().unwrap().result, ResultShape::PackedI64);
    assert_eq!(allow.start, None);

    let Classification::Legacy(tinygo) = classify(&fixture("pair-malloc")).unwrap() else {
        panic!("not read as legacy");
    };
    assert_eq!(tinygo.family, Family::J);
    assert_eq!(tinygo.allocator, Allocator::MallocFree { free: true });
    assert_eq!(tinygo.auth.as_ref().unwrap().result, ResultShape::Pair);
    assert_eq!(tinygo.start.as_deref(), Some("_start"));

    let assemblyscript = wat::parse_str(
        r#"(module (memory (export "memory") 1)
             (func (export "__new") (param i32 i32) (result i32) i32.const 16)
             (func (export "__pin") (param i32) (result i32) local.get 0)
             (func (export "__unpin") (param i32))
             (func (export "authenticate") (param i32 i32) (result i64) i64.const 0))"#,
    )
    .unwrap();
    let Classification::Legacy(legacy) = classify(&assemblyscript).unwrap() else {
        panic!("not read as legacy");
    };
    assert_eq!(legacy.allocator, Allocator::AssemblyScript);
}

#[test]
fn anything_else_is_refused_listing_what_was_found() {
    let err = adapt(&fixture("no-entry-point")).unwrap_err();
    assert!(matches!(err, AdaptError::Unrecognized { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("exports found: [memory, alloc, handle]"),
        "{text}"
    );
    assert!(text.contains("imports found: []"), "{text}");
    assert!(matches!(adapt(b"not wasm"), Err(AdaptError::NotWasm)));
}

#[test]
fn the_adapted_component_exports_our_world_and_validates() {
    let legacy = fixture("allow");
    let bytes = adapt(&legacy).unwrap().component.into_owned();
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(&bytes)
        .expect("a valid component");
    let Ok(mockforge_component_host::BinaryKind::Component { exports, imports }) =
        mockforge_component_host::inspect(&bytes)
    else {
        panic!("not a component");
    };
    assert_eq!(exports, vec![AUTH_EXPORT.to_string()]);
    assert!(
        imports
            .iter()
            .all(|i| !i.starts_with("mockforge:legacy-bridge")),
        "the bridge is internal: {imports:?}"
    );
    // Deterministic, so that the compiled artifact cache recognises it on the next load.
    assert_eq!(adapt(&fixture("allow")).unwrap().component.as_ref(), bytes);
}

#[tokio::test]
async fn the_host_adapts_legacy_modules_when_loading() {
    let host = host();
    let plugin = load_fixture(&host, "allow").await.unwrap();
    assert_eq!(plugin.info().exports, vec![AUTH_EXPORT.to_string()]);
    let AuthOutcome::Allow(identity) = plugin.authenticate(request("x")).await.unwrap() else {
        panic!("not allowed");
    };
    assert_eq!(identity.subject, "wat");
    assert_eq!(identity.roles, vec!["r".to_string()]);
    assert_eq!(
        serde_json::Value::from(identity.claims),
        serde_json::json!({"n": 1, "s": "x"})
    );

    let plugin = load_fixture(&host, "deny").await.unwrap();
    let AuthOutcome::Deny(denial) = plugin.authenticate(request("x")).await.unwrap() else {
        panic!("not denied");
    };
    assert_eq!(denial.status, 403);
    assert_eq!(denial.reason, "no");
    assert_eq!(
        denial.headers,
        vec![("WWW-Authenticate".to_string(), "Basic".to_string())]
    );
}

#[tokio::test]
async fn start_up_runs_once_per_instance() {
    let host = host();
    let mut manifest = Manifest::new("pair-malloc", PluginKind::Auth);
    manifest.component_mut().unwrap().instances.strategy = Some(InstanceStrategy::Pooled);
    manifest.component_mut().unwrap().instances.pool_size = Some(1);
    let plugin = load_fixture_with(&host, "pair-malloc", manifest)
        .await
        .unwrap();
    for _ in 0..3 {
        let AuthOutcome::Allow(identity) = plugin.authenticate(request("x")).await.unwrap() else {
            panic!("not allowed");
        };
        assert_eq!(identity.subject, "started-1");
    }
    assert_eq!(plugin.warm_instances(), 1);
}

#[tokio::test]
async fn a_written_component_loads_from_disk() {
    let dir = workspace_root().join("target/adapters-test/written");
    std::fs::create_dir_all(&dir).unwrap();
    let legacy = fixture("allow");
    std::fs::write(dir.join("plugin.wasm"), adapt(&legacy).unwrap().component).unwrap();
    std::fs::write(
        dir.join("plugin.toml"),
        "name = \"written\"\nversion = \"0.1.0\"\nkind = \"auth\"\n",
    )
    .unwrap();
    let plugin = host().load(&dir).await.unwrap();
    let outcome = plugin.authenticate(request("x")).await.unwrap();
    assert!(matches!(outcome, AuthOutcome::Allow(_)));
}

#[tokio::test]
async fn bad_modules_are_refused_at_load_naming_the_plugin() {
    let host = host();
    for (name, expected) in [
        ("no-entry-point", "exports found: [memory, alloc, handle]"),
        ("missing-allocator", "without an allocator"),
        ("unknown-import", "env.mystery_host_call"),
    ] {
        let err = load_fixture(&host, name).await.unwrap_err();
        assert!(matches!(err, Error::CoreModule { .. }), "{name}: {err}");
        assert_eq!(err.plugin(), name);
        assert!(err.to_string().contains(expected), "{name}: {err}");
    }
    host_still_serves(&host).await;
}

#[tokio::test]
async fn a_bad_answer_is_a_typed_error_naming_the_plugin() {
    let host = host();
    let err = call_error(&host, "out-of-bounds").await;
    assert!(matches!(err, Error::Trap { .. }), "{err}");
    assert!(err.to_string().contains("out-of-bounds"), "{err}");

    let err = call_error(&host, "invalid-utf8").await;
    assert!(matches!(err, Error::Trap { .. }), "{err}");
    assert!(err.to_string().contains("invalid utf8"), "{err}");

    for name in ["invalid-json", "not-an-answer"] {
        let err = call_error(&host, name).await;
        assert!(matches!(err, Error::Plugin { .. }), "{name}: {err}");
        assert!(err.to_string().contains("unusable"), "{name}: {err}");
    }
    host_still_serves(&host).await;
}

#[tokio::test]
async fn a_legacy_denial_that_is_not_valid_http_is_an_invalid_answer() {
    let host = host();
    for (name, field) in [
        ("deny-success", "denial.status"),
        ("deny-crlf", "denial.headers[0].value"),
    ] {
        match call_error(&host, name).await {
            Error::InvalidAnswer {
                plugin,
                field: found,
                ..
            } => {
                assert_eq!(found, field, "{name}");
                assert!(plugin.contains(name), "{name}: {plugin}");
            }
            other => panic!("{name}: {other}"),
        }
    }
    host_still_serves(&host).await;
}

#[tokio::test]
async fn a_misbehaving_module_is_stopped_and_named() {
    let host = host();
    let err = call_error(&host, "alloc-zero").await;
    assert!(matches!(err, Error::Trap { .. }), "{err}");
    assert!(err.to_string().contains("unreachable"), "{err}");

    let err = call_error(&host, "trap-in-start").await;
    assert!(matches!(err, Error::Trap { .. }), "{err}");

    let mut manifest = Manifest::new("endless-loop", PluginKind::Auth);
    manifest.component_mut().unwrap().limits.timeout_ms = Some(100);
    let plugin = load_fixture_with(&host, "endless-loop", manifest)
        .await
        .unwrap();
    let err = plugin.authenticate(request("x")).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err}");
    assert_eq!(err.plugin(), "endless-loop");

    let mut manifest = Manifest::new("memory-growth", PluginKind::Auth);
    manifest.component_mut().unwrap().limits.memory_mib = Some(8);
    let plugin = load_fixture_with(&host, "memory-growth", manifest)
        .await
        .unwrap();
    let err = plugin.authenticate(request("x")).await.unwrap_err();
    assert!(matches!(err, Error::MemoryLimit { .. }), "{err}");
    assert_eq!(err.plugin(), "memory-growth");
    host_still_serves(&host).await;
}

#[test]
fn go_and_assemblyscript_modules_are_classified() {
    let Classification::Legacy(tinygo) = classify(&fixture("tinygo-allow")).unwrap() else {
        panic!("not read as legacy");
    };
    assert_eq!(tinygo.family, Family::G);
    assert_eq!(tinygo.allocator, Allocator::MallocFree { free: true });
    assert_eq!(tinygo.auth.as_ref().unwrap().result, ResultShape::Pointer);
    assert_eq!(tinygo.start.as_deref(), Some("_start"));
    assert_eq!(tinygo.adapter_memory, AdapterMemory::Grown);
    assert_eq!(tinygo.warm_instances(), WarmInstances::Unsound);

    let Classification::Legacy(assemblyscript) =
        classify(&fixture("assemblyscript-abort")).unwrap()
    else {
        panic!("not read as legacy");
    };
    assert_eq!(assemblyscript.family, Family::A);
    assert_eq!(assemblyscript.allocator, Allocator::AssemblyScript);
    assert_eq!(
        assemblyscript.auth.as_ref().unwrap().result,
        ResultShape::ManagedString
    );
    assert!(assemblyscript.imports_abort);
}

/// A TinyGo-shaped module: family G, no arena, no Go runtime whose heap start could be
/// moved. The WASI adapter's pages are grown, which its heap may later claim, so every call
/// gets a fresh instance, even when the manifest asks for pooled ones.
#[tokio::test]
async fn a_tinygo_shaped_module_starts_links_wasi_and_is_scanned_for_its_answer() {
    let host = host();
    let mut manifest = Manifest::new("tinygo-allow", PluginKind::Auth);
    manifest.component_mut().unwrap().instances.strategy = Some(InstanceStrategy::Pooled);
    let plugin = load_fixture_with(&host, "tinygo-allow", manifest)
        .await
        .unwrap();
    assert_eq!(plugin.info().limits.strategy, InstanceStrategy::Fresh);
    for _ in 0..3 {
        let AuthOutcome::Allow(identity) = plugin.authenticate(request("x")).await.unwrap() else {
            panic!("not allowed");
        };
        assert_eq!(identity.subject, "tinygo");
        assert_eq!(
            serde_json::Value::from(identity.claims),
            serde_json::json!({"lang": "go"})
        );
    }
}

#[tokio::test]
async fn an_answer_that_never_ends_is_a_typed_error() {
    let host = host();
    for (name, expected) in [
        ("go-unterminated", "does not end within 1048576 bytes"),
        ("go-past-memory-end", "cut off by the end of memory"),
    ] {
        let err = call_error(&host, name).await;
        assert!(matches!(err, Error::Plugin { .. }), "{name}: {err}");
        assert!(err.to_string().contains(expected), "{name}: {err}");
    }
    host_still_serves(&host).await;
}

#[tokio::test]
async fn an_assemblyscript_abort_is_a_trap_with_its_message() {
    let host = host();
    let err = call_error(&host, "assemblyscript-abort").await;
    let Error::Trap { stderr, .. } = &err else {
        panic!("not a trap: {err}");
    };
    assert!(
        stderr.contains("AssemblyScript abort: token store corrupted at plugin.ts:42:7"),
        "{stderr}"
    );
    host_still_serves(&host).await;
}

#[tokio::test]
async fn an_unpaired_surrogate_is_refused() {
    let host = host();
    let err = call_error(&host, "assemblyscript-surrogate").await;
    assert!(matches!(err, Error::Trap { .. }), "{err}");
    host_still_serves(&host).await;
}

/// How the adapters classify the Go module `name` built from `guests/go-legacy`.
fn built_go_module_classified(name: &str) -> mockforge_component_adapters::Legacy {
    let file = workspace_root()
        .join("target/plugins/go-legacy")
        .join(name)
        .join("plugin.wasm");
    let bytes = std::fs::read(&file).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; build it with `just build-guests --languages go-legacy`",
            file.display()
        )
    });
    let Classification::Legacy(legacy) = classify(&bytes).unwrap() else {
        panic!("{}: not read as legacy", file.display());
    };
    legacy
}

/// The Go plugin built from `guests/go-legacy` (by `just build-guests`).
async fn built_go_plugin(host: &PluginHost, name: &str) -> Plugin {
    let dir = workspace_root().join("target/plugins/go-legacy").join(name);
    host.load(&dir).await.unwrap_or_else(|e| {
        panic!(
            "{}: {e}; build it with `just build-guests --languages go-legacy`",
            dir.display()
        )
    })
}

/// A Go runtime's allocator may call WASI and its heap claims every address above its data:
/// a Go plugin that works for its first calls only is not done. Thousands of calls on warm
/// instances, with 1 MiB bodies keeping Go's collector busy, sequential and concurrent.
#[tokio::test]
async fn a_go_plugin_stays_sound_over_many_calls_and_collections() {
    let host = host();
    let plugin = built_go_plugin(&host, "auth-jwt").await;
    assert_eq!(plugin.info().limits.strategy, InstanceStrategy::Pooled);
    let token = mockforge_component_testkit::hs256_jwt(
        b"mockforge-demo-secret",
        &serde_json::json!({"sub": "gopher", "exp": 4_102_444_800_u64}),
    );
    for i in 0..1500 {
        let body = if i % 5 == 0 {
            vec![b'x'; 1 << 20]
        } else {
            Vec::new()
        };
        allowed_gopher(&plugin, &token, body).await;
    }
    let tasks: Vec<_> = (0..8)
        .map(|task| {
            let (plugin, token) = (plugin.clone(), token.clone());
            tokio::spawn(async move {
                for i in 0..150 {
                    let body = if (i + task) % 7 == 0 {
                        vec![b'y'; 1 << 20]
                    } else {
                        Vec::new()
                    };
                    allowed_gopher(&plugin, &token, body).await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let metrics = plugin.metrics();
    assert_eq!(metrics.calls, 1500 + 8 * 150);
    assert!(metrics.errors.is_empty(), "{:?}", metrics.errors);
}

async fn allowed_gopher(plugin: &Plugin, token: &str, body: Vec<u8>) {
    let request = Request::new("POST", "/upload")
        .with_header("authorization", format!("Bearer {token}"))
        .with_body(body);
    match plugin.authenticate(request).await {
        Ok(AuthOutcome::Allow(identity)) => assert_eq!(identity.subject, "gopher"),
        other => panic!("{other:?}"),
    }
}

/// A plugin built with the shapes of MockForge's published Go SDK (`guests/go-legacy/upstream`),
/// as existing MockForge plugins are: no arena for the WASI adapter. The adapters find the Go
/// runtime's heap start and reserve the adapter's memory below it, so warm instances are
/// sound: 20,000 calls on one warm instance, with collections forced and 1 MiB bodies.
#[tokio::test]
async fn a_plugin_of_mockforges_go_sdk_without_an_arena_stays_sound_over_20000_warm_calls() {
    let legacy = built_go_module_classified("mockforge-sdk-auth");
    assert_eq!(legacy.family, Family::G);
    let AdapterMemory::BelowGoHeap(heap) = legacy.adapter_memory else {
        panic!("no home below Go's heap: {}", legacy.adapter_memory);
    };
    assert_eq!(heap.moved_end - heap.linked_end, RESERVED_FOR_ADAPTER);
    assert_eq!(legacy.warm_instances(), WarmInstances::Preferred);

    let host = host();
    let plugin = built_go_plugin(&host, "mockforge-sdk-auth").await;
    assert_eq!(plugin.info().limits.strategy, InstanceStrategy::Pooled);
    const CALLS: u64 = 20_000;
    for i in 0..CALLS {
        let mut request =
            Request::new("POST", "/upload").with_header("authorization", "Bearer good");
        if i % 250 == 0 {
            request = request.with_header("x-collect", "1");
        }
        let body_bytes = if i % 1000 == 7 {
            1 << 20
        } else {
            i as usize % 64
        };
        request = request.with_body(vec![b'z'; body_bytes]);
        let outcome = plugin
            .authenticate(request)
            .await
            .unwrap_or_else(|e| panic!("call {i}: {e}"));
        let AuthOutcome::Allow(identity) = outcome else {
            panic!("call {i}: {outcome:?}");
        };
        assert_eq!(identity.subject, "bearer-user", "call {i}");
        assert_eq!(
            identity.claim("body_bytes"),
            Some(&serde_json::json!(body_bytes)),
            "call {i}"
        );
    }
    let metrics = plugin.metrics();
    assert_eq!(metrics.calls, CALLS);
    assert!(metrics.errors.is_empty(), "{:?}", metrics.errors);
    assert_eq!(
        metrics.retired_instances, 0,
        "one warm instance served every call"
    );
}

/// The credentials a MockForge Go SDK plugin receives, field for field (`AuthCredentials`:
/// `type`, `token`, `data` a map of strings), and its context (`PluginContext`).
#[tokio::test]
async fn a_go_sdk_plugin_receives_its_credentials_in_the_sdks_shapes() {
    let host = host();
    let plugin = built_go_plugin(&host, "mockforge-sdk-auth").await;
    let basic = |pair: &str| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(pair)
    };
    let alice = basic("alice:secret");
    // The request's headers, whom the plugin accepts (none: it refuses), the credentials.
    type Case<'a> = (Vec<(&'a str, String)>, Option<&'a str>, serde_json::Value);
    let cases: Vec<Case> = vec![
        (
            vec![("authorization", "Bearer good".into())],
            Some("bearer-user"),
            serde_json::json!({"type": "bearer", "token": "good", "data": null}),
        ),
        (
            vec![("authorization", format!("Basic {alice}"))],
            Some("alice"),
            serde_json::json!({"type": "basic", "token": alice,
                "data": {"username": "alice", "password": "secret"}}),
        ),
        (
            vec![(
                "authorization",
                format!("Basic {}", basic("alice:wrong:colon")),
            )],
            None,
            serde_json::json!({"type": "basic", "token": basic("alice:wrong:colon"),
                "data": {"username": "alice", "password": "wrong:colon"}}),
        ),
        (
            vec![("authorization", "Basic %%%".into())],
            None,
            serde_json::json!({"type": "basic", "token": "%%%", "data": null}),
        ),
        (
            vec![("x-api-key", "key-123".into())],
            Some("api-client"),
            serde_json::json!({"type": "api_key", "token": "key-123", "data": null}),
        ),
        (
            vec![("authorization", "Digest abc=1".into())],
            Some("custom:digest"),
            serde_json::json!({"type": "digest", "token": "abc=1", "data": null}),
        ),
        (
            vec![("authorization", "opaque-value".into())],
            Some("custom:custom"),
            serde_json::json!({"type": "custom", "token": "opaque-value", "data": null}),
        ),
        (
            vec![],
            None,
            serde_json::json!({"type": "none", "token": "", "data": null}),
        ),
    ];
    for (headers, user, expected) in cases {
        let request = |echo: bool| {
            let mut request = Request::new("PUT", "/items/7?x=1").with_body(b"four".to_vec());
            for (name, value) in &headers {
                request = request.with_header(*name, value.clone());
            }
            match echo {
                true => request.with_header("x-echo", "1"),
                false => request,
            }
        };
        // What the plugin decides.
        match (plugin.authenticate(request(false)).await.unwrap(), user) {
            (AuthOutcome::Allow(identity), Some(user)) => assert_eq!(identity.subject, user),
            (AuthOutcome::Deny(_), None) => {}
            (other, _) => panic!("{headers:?}: {other:?}"),
        }
        // What it was given.
        let AuthOutcome::Allow(identity) = plugin.authenticate(request(true)).await.unwrap() else {
            panic!("{headers:?}: not echoed");
        };
        assert_eq!(identity.subject, user.unwrap_or("echo"));
        let claims = serde_json::Value::from(identity.claims);
        for key in ["type", "token", "data"] {
            assert_eq!(claims[key], expected[key], "{headers:?}: {key}");
        }
        assert_eq!(claims["method"], "PUT");
        assert_eq!(claims["uri"], "/items/7?x=1");
        assert_eq!(claims["body_bytes"], 4);
        assert_eq!(claims["header_count"], headers.len() + 1);
    }
}

/// A legacy `generate_response` module is a response plugin: the adapted component exports
/// the responder interface only, and MockForge's `ResponseData` becomes the response (headers
/// sorted by name, `content_type` as a header, the body from its list of bytes); `modify`
/// passes the mock's response through.
#[tokio::test]
async fn a_legacy_response_module_answers_through_the_responder_interface() {
    let Classification::Legacy(legacy) = classify(&fixture("respond")).unwrap() else {
        panic!("not read as legacy");
    };
    assert_eq!(legacy.family, Family::J);
    assert_eq!(legacy.auth, None);
    assert_eq!(
        legacy
            .response
            .as_ref()
            .map(|entry| (entry.name.as_str(), entry.result)),
        Some(("generate_response", ResultShape::PackedI64))
    );
    let bytes = adapt(&fixture("respond")).unwrap().component.into_owned();
    let Ok(mockforge_component_host::BinaryKind::Component { exports, .. }) =
        mockforge_component_host::inspect(&bytes)
    else {
        panic!("not a component");
    };
    assert_eq!(exports, vec![RESPONDER_EXPORT.to_string()]);

    let host = host();
    let plugin = load_fixture_with(
        &host,
        "respond",
        Manifest::new("respond", PluginKind::Response),
    )
    .await
    .unwrap();
    let response = plugin
        .respond(Request::new("GET", "/x"))
        .await
        .unwrap()
        .expect("a response");
    assert_eq!(response.status, 202);
    assert_eq!(
        response.headers,
        [("content-type", "text/plain"), ("x-a", "1"), ("x-b", "2")]
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
    );
    assert_eq!(response.body, b"hi");
    let mock = mockforge_component_host::Response {
        status: 404,
        headers: vec![("x-mock".into(), "1".into())],
        body: b"no".to_vec(),
    };
    let modified = plugin
        .modify(Request::new("GET", "/x"), mock.clone())
        .await
        .unwrap();
    assert_eq!(modified, mock);

    // An auth plugin's manifest for it is refused: it exports no auth interface.
    let err = load_fixture(&host, "respond").await.unwrap_err();
    assert!(matches!(err, Error::WrongWorld { .. }), "{err}");
}

#[tokio::test]
async fn a_legacy_response_that_is_not_a_response_is_the_plugins_internal_error() {
    let host = host();
    let plugin = load_fixture_with(
        &host,
        "respond-bad-body",
        Manifest::new("respond-bad-body", PluginKind::Response),
    )
    .await
    .unwrap();
    let err = plugin.respond(Request::new("GET", "/")).await.unwrap_err();
    assert_eq!(err.plugin(), "respond-bad-body");
    assert!(matches!(err, Error::Plugin { .. }), "{err}");
    assert!(
        err.to_string().contains("`body` is text but not base64"),
        "{err}"
    );
}

/// A legacy response plugin is given MockForge's `ResponseRequest` keys for the matched route
/// and the caller: `path_params` and `auth_context` (the identity's claims, then `sub` and the
/// other identity fields under MockForge's names where the claims lack them). Each language's
/// `response-echo` echoes `path_params.id` and `auth_context.sub`; without a route or an
/// identity both are empty (the vectors in `tests/conformance/vectors/0.1/response-echo.json`).
#[tokio::test]
async fn a_legacy_response_plugin_sees_the_routes_parameters_and_the_callers_identity() {
    let host = host();
    for language in ["rust-legacy", "go-legacy", "assemblyscript"] {
        let dir = workspace_root()
            .join("target/plugins")
            .join(language)
            .join("response-echo");
        let plugin = host.load(&dir).await.unwrap_or_else(|e| {
            panic!(
                "{}: {e}; build it with `just build-guests {language}`",
                dir.display()
            )
        });
        let echo = |request: Request| {
            let plugin = plugin.clone();
            async move {
                let response = plugin.respond(request).await.unwrap().expect("a response");
                serde_json::from_slice::<serde_json::Value>(&response.body).unwrap()
            }
        };
        let routed = Request::new("GET", "/users/7/orders/9").with_route(
            "/users/{id}/orders/{order}",
            [("id".into(), "7".into()), ("order".into(), "9".into())],
        );
        // The subject, when the claims carry no `sub`.
        let body = echo(routed.clone().with_identity(Identity {
            subject: "u-1".into(),
            username: Some("ada".into()),
            ..Identity::default()
        }))
        .await;
        assert_eq!(body["param_id"], "7", "{language}: {body}");
        assert_eq!(body["caller"], "u-1", "{language}: {body}");
        // A `sub` claim is the claims' own word.
        let mut claims = mockforge_component_host::Claims::new();
        claims.insert("sub".into(), "from-claims".into());
        let body = echo(routed.clone().with_identity(Identity {
            subject: "u-1".into(),
            claims,
            ..Identity::default()
        }))
        .await;
        assert_eq!(body["caller"], "from-claims", "{language}: {body}");
        // No identity: `auth_context` is null.
        let body = echo(routed).await;
        assert_eq!(body["param_id"], "7", "{language}: {body}");
        assert_eq!(body["caller"], "", "{language}: {body}");
    }
}

/// A module of MockForge's Go SDK that also exports `generate_response` (the SDK's package
/// brings `plugin_auth_authenticate` into every module that uses it): family G for auth, the
/// JSON host convention for responses, both served.
#[test]
fn a_go_module_with_a_response_entry_point_serves_both() {
    let legacy = built_go_module_classified("response-echo");
    assert_eq!(legacy.family, Family::G);
    assert_eq!(legacy.auth.unwrap().result, ResultShape::Pointer);
    assert_eq!(legacy.response.unwrap().result, ResultShape::PackedI64);
}
