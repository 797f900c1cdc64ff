//! Legacy core-module plugins through the adapters: classification, the produced component,
//! loading through the host (which adapts automatically), the WAT fixtures of
//! `fixtures/legacy/`, and every kind of bad legacy module. The legacy plugins built from
//! source (`guests/rust-legacy/`) run in the conformance suite (`conformance.rs`).

use mockforge_component_adapters::{
    adapt, classify, AdaptError, Allocator, Classification, Family, ResultShape,
};
use mockforge_component_host::{
    AuthOutcome, Error, InstanceStrategy, Manifest, Plugin, PluginHost, PluginKind, Request,
};
use mockforge_component_tests::{host, workspace_root};

const AUTH_EXPORT: &str = "mockforge:plugin/auth@0.1.0";

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
    assert_eq!(allow.result, ResultShape::PackedI64);
    assert_eq!(allow.start, None);

    let Classification::Legacy(tinygo) = classify(&fixture("pair-malloc")).unwrap() else {
        panic!("not read as legacy");
    };
    assert_eq!(tinygo.family, Family::J);
    assert_eq!(tinygo.allocator, Allocator::MallocFree { free: true });
    assert_eq!(tinygo.result, ResultShape::Pair);
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
        serde_json::Value::Object(identity.claims),
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
    assert_eq!(tinygo.result, ResultShape::Pointer);
    assert_eq!(tinygo.start.as_deref(), Some("_start"));
    assert_eq!(tinygo.wasi_arena, None);

    let Classification::Legacy(assemblyscript) =
        classify(&fixture("assemblyscript-abort")).unwrap()
    else {
        panic!("not read as legacy");
    };
    assert_eq!(assemblyscript.family, Family::A);
    assert_eq!(assemblyscript.allocator, Allocator::AssemblyScript);
    assert_eq!(assemblyscript.result, ResultShape::ManagedString);
    assert!(assemblyscript.imports_abort);
}

#[tokio::test]
async fn a_tinygo_shaped_module_starts_links_wasi_and_is_scanned_for_its_answer() {
    let host = host();
    let plugin = load_fixture(&host, "tinygo-allow").await.unwrap();
    // Go-built modules keep warm instances unless their manifest says otherwise.
    assert_eq!(plugin.info().limits.strategy, InstanceStrategy::Pooled);
    for _ in 0..3 {
        let AuthOutcome::Allow(identity) = plugin.authenticate(request("x")).await.unwrap() else {
            panic!("not allowed");
        };
        assert_eq!(identity.subject, "tinygo");
        assert_eq!(
            serde_json::Value::Object(identity.claims),
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
