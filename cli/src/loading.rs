//! Host construction from the command-line settings, and plugin loading with progress output
//! while a component compiles.

use std::path::Path;
use std::time::{Duration, Instant};

use mockforge_component_host::{
    manifest_path, ArtifactSource, CapabilityPolicy, HostConfig, Manifest, Plugin, PluginHost,
    Profiler, SignaturePolicy,
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
    let trusted = crate::signatures::trusted_keys(args)?;
    config = config.signature_policy(if args.require_signatures {
        SignaturePolicy::Require
    } else if trusted.is_empty() {
        SignaturePolicy::Ignore
    } else {
        SignaturePolicy::VerifyIfPresent
    });
    for key in trusted {
        config = config.trust_key(key);
    }
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
    if !path.is_dir() && path.extension().is_none_or(|e| e != "toml") {
        return Ok(path.to_owned());
    }
    let manifest = manifest_path(path);
    let parsed = Manifest::from_file(&manifest)?;
    let Some(component) = parsed.component() else {
        anyhow::bail!(
            "{}: a remote plugin has no component file",
            manifest.display()
        );
    };
    Ok(manifest
        .parent()
        .unwrap_or(Path::new("."))
        .join(&component.component))
}

/// How long a load runs before `load` says it is compiling.
const COMPILE_NOTICE_AFTER: Duration = Duration::from_millis(500);

/// Loads `path`, telling on stderr when it is compiling (a load that takes longer than
/// [`COMPILE_NOTICE_AFTER`]: a cached load takes milliseconds, a compile seconds) and how long
/// the load took. Nothing is read or hashed twice to know beforehand.
pub async fn load(host: &PluginHost, path: &Path, quiet: bool) -> anyhow::Result<Plugin> {
    let started = Instant::now();
    let load = host.load(path);
    tokio::pin!(load);
    let mut notice = tokio::time::interval_at(
        tokio::time::Instant::now() + COMPILE_NOTICE_AFTER,
        Duration::from_secs(2),
    );
    let mut told = false;
    let plugin = loop {
        tokio::select! {
            result = &mut load => break result?,
            _ = notice.tick(), if !quiet => {
                if told {
                    eprintln!("  still compiling... {:.0} s", started.elapsed().as_secs_f64());
                } else {
                    eprintln!(
                        "compiling {}; the compiled artifact is cached for later loads",
                        path.display()
                    );
                    told = true;
                }
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
