//! Host construction from the command-line settings, and plugin loading with progress output
//! while a component compiles.

use std::path::Path;
use std::time::{Duration, Instant};

use mockforge_component_host::{
    find_manifest, ArtifactSource, CapabilityPolicy, HostConfig, ManifestOrigin, Plugin,
    PluginHost, PluginKind, Profiler, SignaturePolicy, DEFAULT_COMPONENT_FILE,
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
/// manifest, the manifest's component (`plugin.toml`'s, or the `.wasm` beside a
/// `plugin.yaml`), or a folder's `plugin.wasm` when it has no manifest.
pub fn component_path(path: &Path) -> anyhow::Result<std::path::PathBuf> {
    let is_manifest = path
        .extension()
        .is_some_and(|e| e == "toml" || e == "yaml" || e == "yml");
    if !path.is_dir() && !is_manifest {
        return Ok(path.to_owned());
    }
    let Some(found) = find_manifest(path)? else {
        return Ok(path.join(DEFAULT_COMPONENT_FILE));
    };
    let Some(component) = found.manifest.component() else {
        anyhow::bail!(
            "{}: a remote plugin has no component file",
            found.path.display()
        );
    };
    Ok(found
        .path
        .parent()
        .unwrap_or(Path::new("."))
        .join(&component.component))
}

/// The line said on stderr when a plugin runs with no manifest.
pub fn no_manifest_notice(file: &Path, kind: PluginKind) -> String {
    format!(
        "no manifest: running {} as {kind} under default limits",
        file.display()
    )
}

/// How long a load runs before `load` says it is compiling.
const COMPILE_NOTICE_AFTER: Duration = Duration::from_millis(500);

/// Loads `path` (a bare `.wasm` too, under default limits: said on stderr, quiet or not),
/// telling on stderr when it is compiling (a load that takes longer than
/// [`COMPILE_NOTICE_AFTER`]: a cached load takes milliseconds, a compile seconds), how long
/// the load took and which keys of a `plugin.yaml` have no effect. Nothing is read or hashed
/// twice to know beforehand.
pub async fn load(host: &PluginHost, path: &Path, quiet: bool) -> anyhow::Result<Plugin> {
    let started = Instant::now();
    let load = host.load_allowing_no_manifest(path);
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
    let info = plugin.info();
    if info.manifest == ManifestOrigin::None {
        let file = info.path.as_deref().unwrap_or(path);
        eprintln!("{}", no_manifest_notice(file, info.kind));
    }
    if !quiet {
        for key in &info.unmapped_manifest_keys {
            eprintln!("plugin.yaml: not used here: {key}");
        }
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
