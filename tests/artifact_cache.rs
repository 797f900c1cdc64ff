//! A component compiled once loads from the artifact cache on the next load, also from a new
//! host in the same cache folder, and behaves the same.

use mockforge_component_host::{
    ArtifactSource, AuthOutcome, HostConfig, Manifest, PluginHost, PluginKind, Request,
};
use mockforge_component_tests::{plugin_dir, workspace_root};

#[tokio::test]
async fn second_load_comes_from_the_cache() {
    let cache = workspace_root().join(format!("target/cache-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);
    let config = HostConfig::default().cache_dir(Some(cache.clone()));
    let dir = plugin_dir("auth-trivial");

    let first_host = PluginHost::new(config.clone()).unwrap();
    let bytes = std::fs::read(dir.join("plugin.wasm")).unwrap();
    assert!(!first_host.is_cached(&bytes));
    let first = first_host.load(&dir).await.unwrap();
    assert_eq!(first.info().artifact, ArtifactSource::Compiled);
    assert!(first_host.is_cached(&bytes));

    let second_host = PluginHost::new(config).unwrap();
    let second = second_host.load(&dir).await.unwrap();
    assert_eq!(second.info().artifact, ArtifactSource::Cache);
    let request = Request::new("GET", "/").with_header("authorization", "Bearer good");
    assert!(matches!(
        second.authenticate(request).await.unwrap(),
        AuthOutcome::Allow(_)
    ));

    let uncached = PluginHost::new(HostConfig::default().cache_dir(None)).unwrap();
    assert_eq!(
        uncached.load(&dir).await.unwrap().info().artifact,
        ArtifactSource::Compiled
    );
    std::fs::remove_dir_all(&cache).unwrap();
}

/// A legacy core module is cached as its adapted component, under the module's own bytes: a
/// cached load skips the adaptation too, and `is_cached` answers for the legacy bytes.
#[tokio::test]
async fn a_legacy_module_is_cached_as_its_adapted_component() {
    let cache = workspace_root().join(format!("target/cache-test-legacy-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);
    let config = HostConfig::default().cache_dir(Some(cache.clone()));
    let legacy = wat::parse_file(workspace_root().join("tests/fixtures/legacy/allow.wat")).unwrap();
    let manifest = Manifest::new("allow", PluginKind::Auth);

    let first_host = PluginHost::new(config.clone()).unwrap();
    assert!(!first_host.is_cached(&legacy));
    let first = first_host
        .load_bytes(legacy.clone(), manifest.clone(), ".")
        .await
        .unwrap();
    assert_eq!(first.info().artifact, ArtifactSource::Compiled);
    assert!(first_host.is_cached(&legacy));

    let second_host = PluginHost::new(config).unwrap();
    let second = second_host.load_bytes(legacy, manifest, ".").await.unwrap();
    assert_eq!(second.info().artifact, ArtifactSource::Cache);
    assert_eq!(
        second.info().exports,
        vec![mockforge_component_adapters::ADAPTED_CONTRACT
            .auth_interface()
            .to_string()]
    );
    let request = Request::new("GET", "/").with_header("authorization", "Bearer good");
    assert!(matches!(
        second.authenticate(request).await.unwrap(),
        AuthOutcome::Allow(_)
    ));
    std::fs::remove_dir_all(&cache).unwrap();
}

/// A fresh, empty cache folder for one test.
fn fresh_cache(name: &str) -> std::path::PathBuf {
    let cache = workspace_root().join(format!("target/cache-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);
    cache
}

/// The artifact files in a cache folder.
fn artifacts(cache: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(cache)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "cwasm"))
        .collect();
    files.sort();
    files
}

fn good_request() -> Request {
    Request::new("GET", "/").with_header("authorization", "Bearer good")
}

/// Loads `name` into a new host on `cache`.
async fn load_with_cache(
    cache: &std::path::Path,
    name: &str,
) -> (PluginHost, mockforge_component_host::Plugin) {
    let host = PluginHost::new(HostConfig::default().cache_dir(Some(cache.to_owned()))).unwrap();
    assert_eq!(host.artifact_cache_dir(), Some(cache));
    let plugin = host.load(plugin_dir(name)).await.unwrap();
    (host, plugin)
}

/// Copying one plugin's artifact over another's file name does not make the second behave as
/// the first: the integrity tag covers the key the artifact is stored under.
#[tokio::test]
async fn a_swapped_artifact_is_discarded_and_the_plugin_stays_itself() {
    let cache = fresh_cache("swap");
    let (_, trivial) = load_with_cache(&cache, "auth-trivial").await;
    assert_eq!(trivial.info().artifact, ArtifactSource::Compiled);
    let [trivial_file] = artifacts(&cache).try_into().unwrap();
    let (_, fails) = load_with_cache(&cache, "fails").await;
    assert!(fails.authenticate(good_request()).await.is_err());
    let fails_file = artifacts(&cache)
        .into_iter()
        .find(|path| *path != trivial_file)
        .unwrap();
    let fails_bytes = std::fs::read(&fails_file).unwrap();
    std::fs::write(&trivial_file, &fails_bytes).unwrap();

    let (host, trivial) = load_with_cache(&cache, "auth-trivial").await;
    assert_eq!(trivial.info().artifact, ArtifactSource::Compiled);
    assert_eq!(host.artifact_cache_metrics().rejected, 1);
    assert!(matches!(
        trivial.authenticate(good_request()).await.unwrap(),
        AuthOutcome::Allow(_)
    ));
    assert_ne!(std::fs::read(&trivial_file).unwrap(), fails_bytes);
    std::fs::remove_dir_all(&cache).unwrap();
}

/// A flipped byte anywhere in an artifact (its machine code, say) is caught before the
/// artifact is deserialized: the plugin is recompiled and the file replaced.
#[tokio::test]
async fn a_flipped_byte_is_recompiled_and_the_file_replaced() {
    let cache = fresh_cache("flip");
    load_with_cache(&cache, "auth-trivial").await;
    let [file] = artifacts(&cache).try_into().unwrap();
    let mut bytes = std::fs::read(&file).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&file, &bytes).unwrap();

    let (host, plugin) = load_with_cache(&cache, "auth-trivial").await;
    assert_eq!(plugin.info().artifact, ArtifactSource::Compiled);
    let metrics = host.artifact_cache_metrics();
    assert_eq!((metrics.rejected, metrics.stored, metrics.hits), (1, 1, 0));
    assert!(matches!(
        plugin.authenticate(good_request()).await.unwrap(),
        AuthOutcome::Allow(_)
    ));
    assert_ne!(std::fs::read(&file).unwrap(), bytes, "the file is replaced");
    let (host, plugin) = load_with_cache(&cache, "auth-trivial").await;
    assert_eq!(plugin.info().artifact, ArtifactSource::Cache);
    assert_eq!(host.artifact_cache_metrics().hits, 1);
    std::fs::remove_dir_all(&cache).unwrap();
}

/// A cache folder others may write is not used (components compile in memory), and an
/// artifact others may write is discarded.
#[cfg(unix)]
#[tokio::test]
async fn files_and_folders_others_may_write_are_refused() {
    use std::os::unix::fs::PermissionsExt;
    let cache = fresh_cache("modes");
    load_with_cache(&cache, "auth-trivial").await;
    let [file] = artifacts(&cache).try_into().unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o666)).unwrap();
    let (host, plugin) = load_with_cache(&cache, "auth-trivial").await;
    assert_eq!(plugin.info().artifact, ArtifactSource::Compiled);
    assert_eq!(host.artifact_cache_metrics().rejected, 1);
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "stored again, private");

    std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o777)).unwrap();
    let before = artifacts(&cache);
    std::fs::remove_file(&before[0]).unwrap();
    let host = PluginHost::new(HostConfig::default().cache_dir(Some(cache.clone()))).unwrap();
    assert_eq!(host.artifact_cache_dir(), None, "the folder is refused");
    let plugin = host.load(plugin_dir("auth-trivial")).await.unwrap();
    assert_eq!(plugin.info().artifact, ArtifactSource::Compiled);
    assert!(artifacts(&cache).is_empty(), "nothing is written there");
    std::fs::remove_dir_all(&cache).unwrap();
}

/// A new cache folder is created private, with its key beside the artifacts.
#[cfg(unix)]
#[tokio::test]
async fn a_new_cache_folder_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let cache = fresh_cache("new");
    load_with_cache(&cache, "auth-trivial").await;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&cache), 0o700);
    assert_eq!(mode(&cache.join(mockforge_component_host::KEY_FILE)), 0o600);
    assert_eq!(mode(&artifacts(&cache)[0]), 0o600);
    std::fs::remove_dir_all(&cache).unwrap();
}
