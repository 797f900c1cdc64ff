//! Plugins as MockForge ships them: a folder with MockForge's `plugin.yaml` and no
//! `plugin.toml`, and a bare `.wasm` file with no manifest at all, loaded through the host's
//! public API and called, with real built plugins.

use std::path::{Path, PathBuf};
use std::time::Duration;

use mockforge_component_host::{
    AuthOutcome, Error, HostConfig, LimitCaps, ManifestOrigin, PluginKind, Request,
    DEFAULT_MAX_INSTANCES, DEFAULT_MEMORY_MIB, DEFAULT_TIMEOUT, MANIFEST_FILE,
};
use mockforge_component_tests::{host, host_with, plugin_dir, staged_language_dir, workspace_root};
use serde_json::{json, Value};

/// A scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = workspace_root().join(format!(
        "target/mockforge-manifests-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Copies the built component of plugin `name` into `folder` as `file`.
fn copy_component(from: &Path, folder: &Path, file: &str) -> PathBuf {
    let source = from.join("plugin.wasm");
    assert!(
        source.is_file(),
        "{} is not built: run `just build-guests`",
        source.display()
    );
    let target = folder.join(file);
    std::fs::copy(&source, &target).unwrap();
    target
}

fn good_request() -> Request {
    Request::new("GET", "/orders/1").with_header("authorization", "Bearer good")
}

/// MockForge's example form: version as text, `max_cpu_time_ms`, keys this host has no use
/// for.
const AUTH_TRIVIAL_YAML: &str = r#"
manifest_version: "1.0"
plugin:
  id: "auth-trivial"
  version: "0.3.1"
  name: "Trivial"
  description: "Allows exactly Bearer good"
  types: ["auth"]
  author: { name: "MockForge Team" }
  license: "MIT"
capabilities:
  network: { allow_http: true, allowed_hosts: ["api.example.com"] }
  resources:
    max_memory_bytes: 33554432
    max_execution_time_ms: 250
    max_concurrent_executions: 2
dependencies: []
"#;

#[tokio::test]
async fn a_folder_with_only_a_plugin_yaml_loads_and_answers() {
    let dir = scratch("yaml");
    copy_component(&plugin_dir("auth-trivial"), &dir, "auth-trivial.wasm");
    std::fs::write(dir.join("plugin.yaml"), AUTH_TRIVIAL_YAML).unwrap();
    assert!(!dir.join(MANIFEST_FILE).exists());

    let plugin = host()
        .load(&dir)
        .await
        .unwrap_or_else(|e| panic!("{}", e.report()));
    let info = plugin.info();
    assert_eq!(info.manifest, ManifestOrigin::MockForgeYaml);
    assert_eq!(info.name, "auth-trivial");
    assert_eq!(info.version, "0.3.1");
    assert_eq!(info.kind, PluginKind::Auth);
    assert_eq!(info.description, "Allows exactly Bearer good");
    assert_eq!(
        info.path.as_deref(),
        Some(dir.join("auth-trivial.wasm").as_path())
    );
    assert_eq!(info.limits.memory_bytes, 32 << 20);
    assert_eq!(info.limits.timeout.as_millis(), 250);
    assert_eq!(info.limits.max_instances, 2);
    let unmapped: Vec<&str> = info
        .unmapped_manifest_keys
        .iter()
        .map(|k| k.key.as_str())
        .collect();
    assert_eq!(
        unmapped,
        [
            "plugin.author",
            "plugin.license",
            "plugin.name",
            "capabilities.network.allow_http",
            "capabilities.network.allowed_hosts",
        ]
    );
    match plugin.authenticate(good_request()).await.unwrap() {
        AuthOutcome::Allow(identity) => assert_eq!(identity.subject, "good"),
        other => panic!("expected allow, got {other:?}"),
    }
    let denied = plugin
        .authenticate(Request::new("GET", "/").with_header("authorization", "Bearer bad"))
        .await
        .unwrap();
    assert!(matches!(denied, AuthOutcome::Deny(_)), "{denied:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn config_schema_defaults_reach_the_plugin() {
    let dir = scratch("config");
    copy_component(&plugin_dir("echo-config"), &dir, "plugin.wasm");
    std::fs::write(
        dir.join("plugin.yaml"),
        r#"
plugin: { id: echo-config, version: 0.1.0, types: [response] }
config_schema:
  version: "1.0"
  properties:
    greeting: { type: string, default: hello }
    answer: { type: number, default: 42 }
    enabled: { type: boolean, default: true }
    list: { type: array, default: [1, 2] }
  required: []
"#,
    )
    .unwrap();
    let plugin = host()
        .load(&dir)
        .await
        .unwrap_or_else(|e| panic!("{}", e.report()));
    assert_eq!(plugin.info().kind, PluginKind::Response);
    let response = plugin
        .respond(Request::new("GET", "/"))
        .await
        .unwrap()
        .expect("echo-config always answers");
    let echoed: Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(
        echoed["config"],
        json!({"answer": "42", "enabled": "true", "greeting": "hello"})
    );
    let unmapped = &plugin.info().unmapped_manifest_keys;
    assert_eq!(unmapped.len(), 1, "{unmapped:?}");
    assert_eq!(unmapped[0].key, "config_schema.properties.list.default");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_plugin_yaml_the_host_cannot_use_is_refused_naming_the_file_and_the_cause_once() {
    let dir = scratch("bad-yaml");
    copy_component(&plugin_dir("auth-trivial"), &dir, "plugin.wasm");
    let yaml = dir.join("plugin.yaml");
    std::fs::write(
        &yaml,
        "plugin: { id: p, version: 0.1.0, types: [template] }\n",
    )
    .unwrap();
    let Err(err) = host().load(&dir).await else {
        panic!("refused")
    };
    assert!(matches!(err, Error::Manifest { .. }), "{err}");
    let report = err.report();
    assert_eq!(
        report.matches(&yaml.display().to_string()).count(),
        1,
        "{report}"
    );
    assert_eq!(
        report.matches("holds no type this host runs").count(),
        1,
        "{report}"
    );

    // A plugin.yaml beside the wrong kind of component: the exports decide, as for TOML.
    std::fs::write(
        &yaml,
        "plugin: { id: p, version: 0.1.0, types: [response] }\n",
    )
    .unwrap();
    let Err(err) = host().load(&dir).await else {
        panic!("refused")
    };
    assert!(matches!(err, Error::WrongWorld { .. }), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_bare_component_runs_under_default_limits_with_its_kind_from_its_exports() {
    let dir = scratch("bare");
    let file = copy_component(&plugin_dir("auth-trivial"), &dir, "Trivial_Auth.wasm");
    let host = host();

    // `load` still wants a manifest, and says which file it looked for, with its cause once.
    let Err(err) = host.load(&file).await else {
        panic!("no manifest: refused")
    };
    assert!(matches!(err, Error::Io { .. }), "{err}");
    let report = err.report();
    assert!(report.contains(MANIFEST_FILE), "{report}");
    assert_eq!(report.matches("os error 2").count(), 1, "{report}");

    let plugin = host
        .load_allowing_no_manifest(&file)
        .await
        .unwrap_or_else(|e| panic!("{}", e.report()));
    let info = plugin.info();
    assert_eq!(info.manifest, ManifestOrigin::None);
    assert_eq!(info.name, "trivial-auth");
    assert_eq!(info.kind, PluginKind::Auth);
    assert_eq!(info.version, "0.0.0");
    assert_eq!(info.limits.memory_bytes, DEFAULT_MEMORY_MIB << 20);
    assert_eq!(info.limits.timeout, DEFAULT_TIMEOUT);
    assert_eq!(info.limits.max_instances, DEFAULT_MAX_INSTANCES);
    assert!(info.grant.env.is_empty() && info.grant.dirs.is_empty());
    assert!(matches!(
        plugin.authenticate(good_request()).await.unwrap(),
        AuthOutcome::Allow(_)
    ));

    // A response plugin's kind comes from its exports too.
    let response = copy_component(&plugin_dir("echo-config"), &dir, "echo.wasm");
    let plugin = host.load_allowing_no_manifest(&response).await.unwrap();
    assert_eq!(plugin.info().kind, PluginKind::Response);
    let answer = plugin.respond(Request::new("GET", "/")).await.unwrap();
    let echoed: Value = serde_json::from_slice(&answer.unwrap().body).unwrap();
    assert_eq!(echoed["config"], json!({}), "no manifest, no configuration");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_bare_legacy_module_is_classified_adapted_and_called() {
    let dir = scratch("bare-legacy");
    let folder = dir.join("legacy-trivial");
    std::fs::create_dir_all(&folder).unwrap();
    copy_component(
        &staged_language_dir("rust-legacy").join("auth-trivial"),
        &folder,
        "plugin.wasm",
    );
    // The folder alone: its plugin.wasm runs bare, named after the folder.
    let plugin = host()
        .load_allowing_no_manifest(&folder)
        .await
        .unwrap_or_else(|e| panic!("{}", e.report()));
    let info = plugin.info();
    assert_eq!(info.manifest, ManifestOrigin::None);
    assert_eq!(info.name, "legacy-trivial");
    assert_eq!(info.kind, PluginKind::Auth);
    match plugin.authenticate(good_request()).await.unwrap() {
        AuthOutcome::Allow(identity) => assert_eq!(identity.subject, "good"),
        other => panic!("expected allow, got {other:?}"),
    }
    // Not a plugin at all: refused as loading refuses it, naming what it is.
    let junk = dir.join("notes.wasm");
    std::fs::write(&junk, b"just text").unwrap();
    let err = host().load_allowing_no_manifest(&junk).await.err().unwrap();
    assert!(matches!(err, Error::NotWasm { .. }), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn limits_asked_in_a_plugin_yaml_stay_within_the_embedders_caps() {
    let dir = scratch("caps");
    copy_component(&plugin_dir("auth-trivial"), &dir, "plugin.wasm");
    std::fs::write(
        dir.join("plugin.yaml"),
        "plugin: { id: greedy, version: 1.0.0, types: [auth] }\n\
         capabilities:\n  resources:\n    max_memory_bytes: 4294967296\n    \
         max_execution_time_ms: 3600000\n    max_concurrent_executions: 100000\n",
    )
    .unwrap();
    let caps = LimitCaps {
        max_memory_mib: 48,
        max_timeout: Duration::from_millis(300),
        max_instances: 4,
        ..LimitCaps::default()
    };
    let plugin = host_with(HostConfig::default().limits(caps))
        .load(&dir)
        .await
        .unwrap_or_else(|e| panic!("{}", e.report()));
    let limits = plugin.info().limits;
    assert_eq!(limits.memory_bytes, 48 << 20);
    assert_eq!(limits.timeout, Duration::from_millis(300));
    assert_eq!(limits.max_instances, 4);
    assert!(matches!(
        plugin.authenticate(good_request()).await.unwrap(),
        AuthOutcome::Allow(_)
    ));
    std::fs::remove_dir_all(&dir).unwrap();
}
