//! Host construction from the command-line settings, and plugin loading with progress output
//! while a component compiles.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use mockforge_component_host::{
    ArtifactSource, CapabilityPolicy, HostConfig, Manifest, Plugin, PluginHost, Profiler,
    MANIFEST_FILE,
};

use crate::{HostArgs, ProfileKind};

/// A host configured as the command line says.
pub fn host(args: &HostArgs) -> anyhow::Result<PluginHost> {
    let mut policy = CapabilityPolicy::deny_all();
    for dir in &args.allow_dir {
        policy = policy.allow_dir(dir);
    }
    for key in &args.allow_env {
        policy = policy.allow_env(key);
    }
    let mut config = HostConfig::default().policy(policy);
    config = config.profiler(match args.profile {
        None => Profiler::None,
        Some(ProfileKind::Perfmap) => Profiler::PerfMap,
        Some(ProfileKind::Jitdump) => Profiler::JitDump,
    });
    if args.no_cache {
        config = config.cache_dir(None);
    } else if let Some(dir) = &args.cache_dir {
        config = config.cache_dir(Some(dir.clone()));
    }
    Ok(PluginHost::new(config)?)
}

/// The component file a plugin path refers to: the path itself for a file that is not a
/// manifest, else the manifest's component.
pub fn component_path(path: &Path) -> anyhow::Result<std::path::PathBuf> {
    let Some(manifest) = manifest_path(path) else {
        return Ok(path.to_owned());
    };
    let parsed = Manifest::from_file(&manifest)?;
    Ok(component_beside(&manifest, &parsed))
}

/// The manifest a plugin path names: a folder's `plugin.toml`, or the path itself when it is
/// a `.toml` file; `None` for a component file.
fn manifest_path(path: &Path) -> Option<PathBuf> {
    if path.is_dir() {
        Some(path.join(MANIFEST_FILE))
    } else if path.extension().is_some_and(|e| e == "toml") {
        Some(path.to_owned())
    } else {
        None
    }
}

fn component_beside(manifest_path: &Path, manifest: &Manifest) -> PathBuf {
    manifest_path
        .parent()
        .unwrap_or(Path::new("."))
        .join(&manifest.component)
}

/// Loads `path`, telling on stderr when a compile is coming (large components take seconds)
/// and how long it took. A remote plugin's manifest (one with a `[remote]` table) names no
/// component: it loads without one.
pub async fn load(host: &PluginHost, path: &Path, quiet: bool) -> anyhow::Result<Plugin> {
    let component = match manifest_path(path) {
        Some(manifest) => {
            let parsed = Manifest::from_file(&manifest)?;
            parsed
                .remote
                .is_none()
                .then(|| component_beside(&manifest, &parsed))
        }
        None => Some(path.to_owned()),
    };
    let mut compiling = false;
    if let Some(component) = component {
        let bytes = std::fs::read(&component)
            .with_context(|| format!("cannot read {}", component.display()))?;
        compiling = !host.is_cached(&bytes);
        if compiling && !quiet {
            eprintln!(
                "compiling {} ({} KiB); the compiled artifact is cached for later loads",
                component.display(),
                bytes.len() / 1024
            );
        }
    }
    let started = Instant::now();
    let load = host.load(path);
    tokio::pin!(load);
    let mut ticker = tokio::time::interval(Duration::from_secs(2));
    ticker.tick().await;
    let plugin = loop {
        tokio::select! {
            result = &mut load => break result?,
            _ = ticker.tick(), if compiling && !quiet => {
                eprintln!("  still compiling... {:.0} s", started.elapsed().as_secs_f64());
            }
        }
    };
    if !quiet {
        let info = plugin.info();
        let how = match info.artifact {
            ArtifactSource::Compiled => "compiled",
            ArtifactSource::Cache => "loaded from the cache",
            ArtifactSource::Remote => "a remote plugin, nothing compiled",
        };
        eprintln!(
            "{} {}: {how} in {:.1} ms",
            info.name,
            info.version,
            ms(info.load_time)
        );
    }
    Ok(plugin)
}

/// A duration in milliseconds.
pub fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}
