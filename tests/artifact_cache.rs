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
        vec!["mockforge:plugin/auth@0.1.0".to_string()]
    );
    let request = Request::new("GET", "/").with_header("authorization", "Bearer good");
    assert!(matches!(
        second.authenticate(request).await.unwrap(),
        AuthOutcome::Allow(_)
    ));
    std::fs::remove_dir_all(&cache).unwrap();
}
