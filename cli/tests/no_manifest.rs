//! `mfplugin call`, `bench` and `inspect` on plugins as MockForge ships them: a bare `.wasm`
//! with no manifest (a component, and legacy core modules of the Rust and Go conventions) and
//! a folder with MockForge's `plugin.yaml`; and a missing manifest said once.

mod support;

use std::path::{Path, PathBuf};

use support::{mfplugin, request_file, staged_language};

/// The built `plugin.wasm` of staged plugin `name` of `language`.
fn staged(language: &str, name: &str) -> PathBuf {
    let file = staged_language(language).join(name).join("plugin.wasm");
    assert!(
        file.is_file(),
        "{} is not built: run `just build-guests`",
        file.display()
    );
    file
}

/// A scratch folder for one test; its `cache` is the artifact cache of the runs in it.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mfplugin-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Succeeds; returns stdout and stderr.
fn ok(work: &Path, args: &[&str]) -> (String, String) {
    let output = mfplugin(work, args);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "mfplugin {args:?} failed: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    (stdout, stderr)
}

/// Fails with exit 1 and one `error:` line; returns it.
fn fails(work: &Path, args: &[&str]) -> String {
    let output = mfplugin(work, args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "mfplugin {args:?}: {stderr}");
    assert_eq!(stderr.matches("error: ").count(), 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// `call`, `bench` and `inspect` on the bare file (or folder) `plugin`, each saying once on
/// stderr that it runs with no manifest, as `kind`.
fn call_bench_inspect_bare(work: &Path, plugin: &Path, file: &Path, kind: &str) {
    let notice = format!(
        "no manifest: running {} as {kind} under default limits",
        file.display()
    );
    let plugin = plugin.to_str().unwrap();
    let request = request_file();
    let request = request.to_str().unwrap();

    let (stdout, stderr) = ok(work, &["call", plugin, "--request", request]);
    assert!(stdout.contains("\"outcome\": \"allow\""), "{stdout}");
    assert_eq!(stderr.matches(&notice).count(), 1, "{stderr}");

    let (stdout, stderr) = ok(
        work,
        &["bench", plugin, "--iterations", "50", "--warmup", "5"],
    );
    assert!(stdout.contains("p99"), "{stdout}");
    assert_eq!(stderr.matches(&notice).count(), 1, "{stderr}");

    let (stdout, stderr) = ok(work, &["inspect", plugin]);
    assert!(stdout.contains("manifest:  none"), "{stdout}");
    assert!(stdout.contains(&format!("({kind} plugin)")), "{stdout}");
    assert!(stdout.contains("limits:    memory default"), "{stdout}");
    assert_eq!(stderr.matches(&notice).count(), 1, "{stderr}");

    let (stdout, _) = ok(work, &["inspect", "--json", plugin]);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["manifest_origin"], "none", "{stdout}");
    assert_eq!(report["manifest"]["kind"], kind, "{stdout}");
}

#[test]
fn a_bare_component_is_called_benched_and_inspected() {
    let work = scratch("bare-component");
    let file = work.join("auth-trivial.wasm");
    std::fs::copy(staged("rust", "auth-trivial"), &file).unwrap();
    call_bench_inspect_bare(&work, &file, &file, "auth");
    std::fs::remove_dir_all(&work).unwrap();
}

#[test]
fn bare_legacy_modules_are_called_benched_and_inspected() {
    let work = scratch("bare-legacy");
    // Family J (Rust), as a folder holding only its plugin.wasm.
    let folder = work.join("rust-trivial");
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join("plugin.wasm");
    std::fs::copy(staged("rust-legacy", "auth-trivial"), &file).unwrap();
    call_bench_inspect_bare(&work, &folder, &file, "auth");
    // Family G (the Go SDK), as a file.
    let file = work.join("go-trivial.wasm");
    std::fs::copy(staged("go-legacy", "auth-trivial"), &file).unwrap();
    call_bench_inspect_bare(&work, &file, &file, "auth");
    std::fs::remove_dir_all(&work).unwrap();
}

#[test]
fn a_plugin_yaml_folder_is_called_and_inspected_with_its_unused_keys_listed() {
    let work = scratch("yaml");
    let folder = work.join("trivial");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::copy(staged("rust", "auth-trivial"), folder.join("plugin.wasm")).unwrap();
    std::fs::write(
        folder.join("plugin.yaml"),
        "plugin:\n  id: auth-trivial\n  version: \"0.2.0\"\n  types: [auth]\n  license: MIT\n\
         capabilities:\n  resources: { max_memory_bytes: 16777216, max_cpu_time_ms: 50 }\n",
    )
    .unwrap();
    let plugin = folder.to_str().unwrap();
    let request = request_file();
    let (stdout, stderr) = ok(
        &work,
        &["call", plugin, "--request", request.to_str().unwrap()],
    );
    assert!(stdout.contains("\"outcome\": \"allow\""), "{stdout}");
    assert!(!stderr.contains("no manifest"), "{stderr}");
    assert!(
        stderr.contains("plugin.yaml: not used here: `plugin.license`"),
        "{stderr}"
    );
    let (stdout, _) = ok(&work, &["inspect", plugin]);
    assert!(stdout.contains("MockForge's plugin.yaml"), "{stdout}");
    assert!(
        stdout.contains("auth-trivial 0.2.0 (auth plugin)"),
        "{stdout}"
    );
    assert!(stdout.contains("not used:  `plugin.license`"), "{stdout}");
    assert!(stdout.contains("memory 16 MiB, timeout 50 ms"), "{stdout}");

    std::fs::write(folder.join("plugin.yaml"), "plugin: { id: Bad Id }\n").unwrap();
    let stderr = fails(
        &work,
        &["call", plugin, "--request", request.to_str().unwrap()],
    );
    assert_eq!(stderr.matches("plugin.yaml").count(), 1, "{stderr}");
    assert!(stderr.contains("key `plugin.id`"), "{stderr}");
    std::fs::remove_dir_all(&work).unwrap();
}

#[test]
fn a_missing_manifest_is_said_once() {
    let work = scratch("missing");
    let empty = work.join("out");
    std::fs::create_dir_all(&empty).unwrap();
    let request = request_file();
    for args in [
        vec![
            "call",
            empty.to_str().unwrap(),
            "--request",
            request.to_str().unwrap(),
        ],
        vec!["inspect", empty.to_str().unwrap()],
        vec!["bench", empty.to_str().unwrap()],
    ] {
        let stderr = fails(&work, &args);
        assert_eq!(stderr.matches("os error 2").count(), 1, "{stderr}");
        assert_eq!(
            stderr.matches("No such file or directory").count(),
            1,
            "{stderr}"
        );
    }
    std::fs::remove_dir_all(&work).unwrap();
}
