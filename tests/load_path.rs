//! The load path refuses what it must not read, run or compile: files that are not regular or
//! are too large, components outside their plugin's folder, compile bombs and exports of the
//! wrong type (before compiling); a granted directory is the folder opened at load.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mockforge_component_host::{
    CapabilityPolicy, CompileBudget, Error, ErrorKind, Fault, HostConfig, Manifest, PluginHost,
    PluginKind, Request,
};
use mockforge_component_tests::{host, host_with, plugin_dir, workspace_root};

/// A scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = workspace_root().join(format!("target/load-path-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A copy of built plugin `name` (its manifest and component; its folders too) in `into`.
fn copy_plugin(name: &str, into: &Path) -> PathBuf {
    let from = plugin_dir(name);
    let to = into.join(name);
    copy_tree(&from, &to);
    to
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Loads `path` and expects an error within five seconds (no hang, no endless read).
async fn load_err(host: &PluginHost, path: &Path) -> Error {
    let started = Instant::now();
    let result = tokio::time::timeout(Duration::from_secs(5), host.load(path))
        .await
        .expect("the load returns");
    assert!(started.elapsed() < Duration::from_secs(5));
    result.expect_err("the load is refused")
}

fn set_component(plugin: &Path, component: &str) {
    let manifest = plugin.join("plugin.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| !l.starts_with("component"))
        .map(str::to_owned)
        .collect();
    lines.insert(1, format!("component = {component:?}"));
    std::fs::write(manifest, lines.join("\n")).unwrap();
}

#[cfg(unix)]
#[tokio::test]
async fn dev_zero_is_refused_as_component_and_as_manifest() {
    let dir = scratch("zero");
    let plugin = copy_plugin("auth-trivial", &dir);
    std::fs::remove_file(plugin.join("plugin.wasm")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", plugin.join("plugin.wasm")).unwrap();
    // Inside the folder only: the link leads out of it.
    let err = load_err(&host(), &plugin).await;
    assert_eq!(err.kind(), ErrorKind::Io, "{err}");
    // Allowed out of the folder: still only a regular file is read.
    let anywhere = host_with(HostConfig::default().component_outside_plugin_folder(true));
    let err = load_err(&anywhere, &plugin).await;
    assert!(
        err.report()
            .contains("not a regular file (a character device)"),
        "{err}"
    );

    let manifest_zero = dir.join("manifest-zero");
    std::fs::create_dir_all(&manifest_zero).unwrap();
    std::os::unix::fs::symlink("/dev/zero", manifest_zero.join("plugin.toml")).unwrap();
    let err = load_err(&host(), &manifest_zero).await;
    assert!(matches!(err, Error::Io { .. }), "{err}");
    assert!(err.report().contains("character device"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[tokio::test]
async fn a_fifo_is_refused_without_hanging() {
    let dir = scratch("fifo");
    let plugin = copy_plugin("auth-trivial", &dir);
    std::fs::remove_file(plugin.join("plugin.wasm")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(plugin.join("plugin.wasm"))
        .status()
        .unwrap();
    assert!(made.success());
    let err = load_err(&host(), &plugin).await;
    assert!(err.report().contains("a FIFO"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_component_outside_the_plugin_folder_is_refused() {
    let dir = scratch("outside");
    let plugin = copy_plugin("auth-trivial", &dir);
    std::fs::copy(plugin.join("plugin.wasm"), dir.join("x.wasm")).unwrap();
    for path in [
        "../x.wasm".to_string(),
        dir.join("x.wasm").display().to_string(),
    ] {
        set_component(&plugin, &path);
        let err = load_err(&host(), &plugin).await;
        assert!(matches!(err, Error::Manifest { .. }), "{err}");
        assert!(err.to_string().contains("key `component`"), "{err}");
    }
    // An embedder may allow it.
    let anywhere = host_with(HostConfig::default().component_outside_plugin_folder(true));
    anywhere.load(&plugin).await.unwrap();

    #[cfg(unix)]
    {
        set_component(&plugin, "link.wasm");
        std::os::unix::fs::symlink(dir.join("x.wasm"), plugin.join("link.wasm")).unwrap();
        let err = load_err(&host(), &plugin).await;
        assert_eq!(err.kind(), ErrorKind::Io, "{err}");
        std::fs::remove_file(plugin.join("link.wasm")).unwrap();
        std::os::unix::fs::symlink("plugin.wasm", plugin.join("link.wasm")).unwrap();
        host()
            .load(&plugin)
            .await
            .expect("a link inside the folder is fine");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn an_oversized_component_is_refused_naming_the_cap() {
    let dir = scratch("oversized");
    let plugin = copy_plugin("auth-trivial", &dir);
    let budget = CompileBudget {
        max_component_bytes: 1000,
        ..CompileBudget::default()
    };
    let small = host_with(HostConfig::default().compile_budget(budget));
    let err = load_err(&small, &plugin).await;
    assert!(
        err.report()
            .contains("over the cap of 1000 bytes (CompileBudget::max_component_bytes)"),
        "{err}"
    );
    let bytes = std::fs::read(plugin.join("plugin.wasm")).unwrap();
    let err = small
        .load_bytes(bytes, Manifest::new("big", PluginKind::Auth), &plugin)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("max_component_bytes"), "{err}");

    let manifest = plugin.join("plugin.toml");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    text.push_str(&format!("\n# {}\n", "x".repeat(1 << 20)));
    std::fs::write(&manifest, text).unwrap();
    let err = load_err(&host(), &plugin).await;
    assert!(err.report().contains("MAX_MANIFEST_BYTES"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn errors_do_not_echo_file_contents_or_repeat_their_cause() {
    let dir = scratch("echo");
    let plugin = copy_plugin("auth-trivial", &dir);
    std::fs::write(plugin.join("plugin.wasm"), b"SECRETS=hunter2\n").unwrap();
    let err = load_err(&host(), &plugin).await;
    assert!(matches!(err, Error::NotWasm { .. }), "{err}");
    let text = err.to_string();
    assert!(
        !text.contains("hunter2") && !text.contains("53 45 43"),
        "{text}"
    );

    let missing = load_err(&host(), &dir.join("nothing-here")).await;
    let chained = format!("{:#}", anyhow::Error::from(missing));
    assert_eq!(chained.matches("os error 2").count(), 1, "{chained}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A component whose exported interface has the right name, with a core module of `body`.
fn component_exporting_auth(module: &str, instance: &str) -> Vec<u8> {
    let text = format!(
        r#"(component
             (core module $m {module})
             (core instance $mi (instantiate $m))
             {instance}
             (export "mockforge:plugin/auth@0.1.0" (instance $i)))"#
    );
    wat::parse_str(text).expect("valid component text")
}

#[tokio::test]
async fn a_compile_bomb_is_refused_before_compiling() {
    let deep = format!(
        "(func {} {})",
        "block ".repeat(200_000),
        "end ".repeat(200_000)
    );
    let many = "(func)".repeat(100_001);
    for (what, module) in [("nesting", deep), ("functions", many)] {
        let bytes = component_exporting_auth(&module, "(instance $i)");
        let started = Instant::now();
        let err = host()
            .load_bytes(bytes, Manifest::new("bomb", PluginKind::Auth), ".")
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidComponent { .. }),
            "{what}: {err}"
        );
        assert!(err.to_string().contains("compile budget"), "{what}: {err}");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{what}: refused in {:?}",
            started.elapsed()
        );
    }
}

#[tokio::test]
async fn an_export_of_the_wrong_type_is_refused_before_compiling() {
    let cache = scratch("wrong-type-cache");
    let host = PluginHost::new(HostConfig::default().cache_dir(Some(cache.clone()))).unwrap();
    let bytes = component_exporting_auth(
        r#"(func (export "f") (param i32))"#,
        r#"(func $f (param "req" u32) (canon lift (core func $mi "f")))
           (instance $i (export "authenticate" (func $f)))"#,
    );
    let err = host
        .load_bytes(bytes, Manifest::new("wrong-type", PluginKind::Auth), ".")
        .await
        .unwrap_err();
    let Error::WrongWorld { detail, .. } = &err else {
        panic!("expected a wrong-world error, got {err}");
    };
    assert!(detail.contains("authenticate"), "{detail}");
    assert_eq!(
        host.artifact_cache_metrics().stored,
        0,
        "nothing was compiled"
    );
    let compiled = std::fs::read_dir(&cache)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "cwasm")
        })
        .count();
    assert_eq!(compiled, 0);
    std::fs::remove_dir_all(&cache).unwrap();
}

/// Copies `needs-dir` with a second folder beside its `data`, allowed by the policy.
async fn needs_dir(name: &str) -> (PathBuf, mockforge_component_host::Plugin) {
    let dir = scratch(name);
    let plugin = copy_plugin("needs-dir", &dir);
    let other = dir.join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("hello.txt"), "the other folder's file").unwrap();
    let host =
        host_with(HostConfig::default().policy(CapabilityPolicy::deny_all().allow_dir(&dir)));
    let loaded = host.load(&plugin).await.unwrap();
    (dir, loaded)
}

async fn body(
    plugin: &mockforge_component_host::Plugin,
) -> mockforge_component_host::Result<Vec<u8>> {
    Ok(plugin
        .respond(Request::new("GET", "/"))
        .await?
        .unwrap()
        .body)
}

#[cfg(unix)]
#[tokio::test]
async fn a_granted_directory_replaced_after_load_is_not_followed() {
    let (dir, plugin) = needs_dir("swap-dir").await;
    let original = b"hello from a granted directory".to_vec();
    assert_eq!(body(&plugin).await.unwrap(), original);
    let data = dir.join("needs-dir/data");
    std::fs::rename(&data, dir.join("needs-dir/data-moved")).unwrap();
    std::os::unix::fs::symlink(dir.join("other"), &data).unwrap();
    for _ in 0..2 {
        assert_eq!(body(&plugin).await.unwrap(), original);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_granted_directory_removed_after_load_is_not_the_plugins_fault() {
    let (dir, plugin) = needs_dir("removed-dir").await;
    std::fs::remove_dir_all(dir.join("needs-dir/data")).unwrap();
    let err = body(&plugin).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io, "{err}");
    assert_ne!(err.fault(), Fault::Plugin, "{err}");
    assert!(
        err.report().contains("removed after the plugin loaded"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn the_same_guest_path_twice_is_refused_at_load() {
    let dir = scratch("twice");
    let plugin = copy_plugin("needs-dir", &dir);
    let manifest = plugin.join("plugin.toml");
    let text = std::fs::read_to_string(&manifest).unwrap().replace(
        r#"dirs = [{ host = "data", guest = "/data" }]"#,
        r#"dirs = [{ host = "data", guest = "/data" }, { host = ".", guest = "/data" }]"#,
    );
    std::fs::write(&manifest, text).unwrap();
    let policy = CapabilityPolicy::deny_all().allow_dir(&dir);
    let err = load_err(&host_with(HostConfig::default().policy(policy)), &plugin).await;
    assert!(matches!(err, Error::Manifest { .. }), "{err}");
    assert!(err.to_string().contains("given twice"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
