//! Plugins that misbehave get a typed error naming them, and the host keeps serving: the next
//! good call on the same host (and on the same plugin, where it can succeed) still works.

use std::time::{Duration, Instant};

use mockforge_component_host::{
    AuthOutcome, CapabilityPolicy, ContractVersion, Error, ErrorKind, Fault, HostConfig, Manifest,
    PluginError, PluginHost, PluginKind, Request,
};
use mockforge_component_tests::{captured_logs, host, host_with, load, plugin_dir};

fn good_request() -> Request {
    Request::new("GET", "/").with_header("authorization", "Bearer good")
}

/// Proves the host still serves: a good plugin on the same host answers.
async fn host_still_serves(host: &PluginHost) {
    let trivial = host.load(plugin_dir("auth-trivial")).await.unwrap();
    let outcome = trivial.authenticate(good_request()).await.unwrap();
    assert!(matches!(outcome, AuthOutcome::Allow(_)));
}

#[tokio::test]
async fn an_endless_loop_times_out() {
    let host = host();
    let plugin = host.load(plugin_dir("endless-loop")).await.unwrap();
    let limit = plugin.info().limits.timeout;
    for _ in 0..2 {
        let started = Instant::now();
        let err = plugin.authenticate(good_request()).await.unwrap_err();
        let took = started.elapsed();
        assert!(
            matches!(err, Error::Timeout { ref plugin, .. } if plugin == "endless-loop"),
            "{err}"
        );
        assert!(
            took >= limit && took < limit + Duration::from_secs(1),
            "stopped after {took:?}"
        );
    }
    assert_eq!(plugin.metrics().errors.get(&ErrorKind::Timeout), Some(&2));
    host_still_serves(&host).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_loop_does_not_starve_other_plugins() {
    let host = host();
    let looping = host.load(plugin_dir("endless-loop")).await.unwrap();
    let trivial = host.load(plugin_dir("auth-trivial")).await.unwrap();
    let stuck: Vec<_> = (0..4)
        .map(|_| {
            let looping = looping.clone();
            tokio::spawn(async move { looping.authenticate(good_request()).await })
        })
        .collect();
    // While four loops hold both worker threads, epoch yields let other calls through.
    tokio::time::sleep(Duration::from_millis(10)).await;
    let started = Instant::now();
    assert!(matches!(
        trivial.authenticate(good_request()).await.unwrap(),
        AuthOutcome::Allow(_)
    ));
    assert!(
        started.elapsed() < looping.info().limits.timeout,
        "starved for {:?}",
        started.elapsed()
    );
    for task in stuck {
        assert!(matches!(task.await.unwrap(), Err(Error::Timeout { .. })));
    }
}

#[tokio::test]
async fn a_memory_bomb_hits_its_limit() {
    let host = host();
    let plugin = host.load(plugin_dir("memory-bomb")).await.unwrap();
    let err = plugin.authenticate(good_request()).await.unwrap_err();
    match &err {
        Error::MemoryLimit {
            plugin,
            limit_bytes,
        } => {
            assert_eq!(plugin, "memory-bomb");
            assert_eq!(*limit_bytes, 32 << 20);
        }
        other => panic!("expected a memory-limit error, got {other}"),
    }
    assert_eq!(err.fault(), Fault::Plugin);
    host_still_serves(&host).await;
}

#[tokio::test]
async fn a_warm_instance_that_creeps_up_to_its_limit_is_retired_before_it_fails_a_call() {
    // `leaky` keeps 1 MiB per call under a 16 MiB limit, in one pooled instance: without
    // retirement, about the fourteenth call on the same instance would fail.
    let host = host();
    let plugin = host.load(plugin_dir("leaky")).await.unwrap();
    for call in 0..60 {
        let outcome = plugin.authenticate(good_request()).await;
        assert!(
            matches!(outcome, Ok(AuthOutcome::Allow(_))),
            "call {call}: {outcome:?}"
        );
    }
    let metrics = plugin.metrics();
    assert!(metrics.errors.is_empty(), "{:?}", metrics.errors);
    assert!(
        (3..=10).contains(&metrics.retired_instances),
        "retired {} instances in 60 calls",
        metrics.retired_instances
    );
}

#[tokio::test]
async fn a_panic_is_a_trap_carrying_the_panic_message() {
    let host = host();
    let plugin = host.load(plugin_dir("panic")).await.unwrap();
    let err = plugin.authenticate(good_request()).await.unwrap_err();
    let Error::Trap {
        plugin: name,
        message,
        stderr,
        ..
    } = &err
    else {
        panic!("expected a trap, got {err}");
    };
    assert_eq!(name, "panic");
    assert!(message.contains("unreachable"), "{message}");
    assert!(
        stderr.contains("boom from the panic plugin"),
        "stderr: {stderr}"
    );
    assert!(err.to_string().contains("boom from the panic plugin"));
    host_still_serves(&host).await;
}

#[tokio::test]
async fn plugin_stderr_becomes_log_records_with_the_plugin_name() {
    let logs = captured_logs();
    let plugin = load("panic").await;
    let _ = plugin.authenticate(good_request()).await;
    let text = logs.text();
    let line = text
        .lines()
        .find(|l| l.contains("boom from the panic plugin"))
        .unwrap_or_else(|| panic!("the panic message was not logged:\n{text}"));
    assert!(
        line.contains("WARN") && line.contains("stream=\"stderr\""),
        "{line}"
    );
    assert!(
        line.contains("plugin=\"panic\"") || line.contains("plugin=panic"),
        "{line}"
    );
}

#[tokio::test]
async fn a_component_of_another_world_is_refused_at_load() {
    let host = host();
    let err = host.load(plugin_dir("wrong-world")).await.unwrap_err();
    let Error::WrongWorld {
        plugin,
        kind,
        expected,
        found,
        ..
    } = &err
    else {
        panic!("expected a wrong-world error, got {err}");
    };
    assert_eq!(plugin, "wrong-world");
    assert_eq!(*kind, PluginKind::Auth);
    assert_eq!(
        expected,
        &[ContractVersion::LATEST.auth_interface()],
        "a component of no contract version is told what the newest expects"
    );
    assert!(
        found.iter().any(|e| e.starts_with("wasi:cli/run")),
        "{found:?}"
    );
    host_still_serves(&host).await;
}

#[tokio::test]
async fn a_manifest_kind_the_component_does_not_export_is_refused() {
    let dir = plugin_dir("auth-trivial");
    let mut manifest = Manifest::from_file(&dir.join("plugin.toml")).unwrap();
    manifest.kind = PluginKind::Both;
    let bytes = std::fs::read(dir.join(&manifest.component().unwrap().component)).unwrap();
    let err = host().load_bytes(bytes, manifest, &dir).await.unwrap_err();
    assert!(
        err.to_string().contains("mockforge:plugin/responder@0.2.0"),
        "{err}"
    );
}

#[tokio::test]
async fn a_directory_not_granted_is_a_capability_error() {
    let err = host().load(plugin_dir("needs-dir")).await.unwrap_err();
    let Error::CapabilityDenied { plugin, capability } = &err else {
        panic!("expected a capability error, got {err}");
    };
    assert_eq!(plugin, "needs-dir");
    assert!(capability.contains("/data"), "{capability}");
    assert_eq!(err.fault(), Fault::Embedder);
}

#[tokio::test]
async fn a_granted_directory_is_readable_and_read_only() {
    let dir = plugin_dir("needs-dir");
    let host =
        host_with(HostConfig::default().policy(CapabilityPolicy::deny_all().allow_dir(&dir)));
    let plugin = host.load(&dir).await.unwrap();
    assert_eq!(plugin.info().grant.dirs.len(), 1);
    let response = plugin
        .respond(Request::new("GET", "/"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(response.body, b"hello from a granted directory");
}

#[tokio::test]
async fn a_plugin_error_reaches_the_caller_intact() {
    let plugin = load("fails").await;
    let err = plugin.authenticate(good_request()).await.unwrap_err();
    assert!(
        matches!(&err, Error::Plugin { error: PluginError::InvalidConfig(m), .. } if m == "the fails plugin always fails"),
        "{err}"
    );
}

#[tokio::test]
async fn bytes_that_are_not_a_component_are_refused_by_kind() {
    let host = host();
    let manifest = Manifest::new("junk", PluginKind::Auth);
    let err = host
        .load_bytes(b"#!/bin/sh\necho hi\n".to_vec(), manifest.clone(), ".")
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::NotWasm { ref plugin, .. } if plugin == "junk"),
        "{err}"
    );

    let legacy = wat_module();
    let err = host
        .load_bytes(legacy, manifest.clone(), ".")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::CoreModule { .. }), "{err}");
    assert!(err.to_string().contains("adapted"), "{err}");

    let mut truncated = std::fs::read(plugin_dir("auth-trivial").join("plugin.wasm")).unwrap();
    truncated.truncate(truncated.len() / 2);
    let err = host.load_bytes(truncated, manifest, ".").await.unwrap_err();
    assert!(matches!(err, Error::InvalidComponent { .. }), "{err}");

    let missing = host.load("/nonexistent/plugin").await.unwrap_err();
    assert!(matches!(missing, Error::Io { .. }), "{missing}");
    host_still_serves(&host).await;
}

/// A core module of no legacy convention (legacy plugins are adapted: see adapters.rs).
fn wat_module() -> Vec<u8> {
    let text = r#"(module
        (memory (export "memory") 1)
        (func (export "alloc") (param i32) (result i32) i32.const 1024)
        (func (export "handle") (param i32 i32) (result i64) i64.const 0))"#;
    wat::parse_str(text).expect("valid module text")
}

#[tokio::test]
async fn failures_never_poison_a_pooled_plugin() {
    let dir = plugin_dir("panic");
    let mut manifest = Manifest::from_file(&dir.join("plugin.toml")).unwrap();
    manifest.component_mut().unwrap().instances.strategy =
        Some(mockforge_component_host::InstanceStrategy::Pooled);
    let bytes = std::fs::read(dir.join(&manifest.component().unwrap().component)).unwrap();
    let plugin = host().load_bytes(bytes, manifest, &dir).await.unwrap();
    for _ in 0..3 {
        assert!(matches!(
            plugin.authenticate(good_request()).await,
            Err(Error::Trap { .. })
        ));
        assert_eq!(
            plugin.warm_instances(),
            0,
            "a trapped instance is discarded"
        );
    }
}
