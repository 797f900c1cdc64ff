//! `mfplugin inspect`: what a plugin file is, without compiling it.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use mockforge_component_adapters::{classify, Classification, Legacy};
use mockforge_component_host::{
    find_manifest, inspect, BinaryKind, ContractVersion, Manifest, ManifestBackend, ManifestOrigin,
    PluginKind, UnmappedKey, MANIFEST_FILE, YAML_MANIFEST_FILE,
};
use serde::Serialize;

use crate::loading::{component_path, no_manifest_notice};
use crate::HostArgs;

/// Arguments of `inspect`.
#[derive(Args)]
pub struct InspectArgs {
    /// The plugin: its folder, its plugin.toml or plugin.yaml, or a .wasm file (with no
    /// manifest beside it: what it would run as under default limits).
    plugin: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Report {
    file: PathBuf,
    size_bytes: usize,
    binary: BinaryKind,
    /// For a core module: the legacy convention and allocator, or why none fits.
    legacy: Option<Result<Legacy, String>>,
    /// The world the exports implement, if any of ours.
    world: Option<&'static str>,
    manifest: Option<Manifest>,
    /// The manifest file, when there is one.
    manifest_file: Option<PathBuf>,
    /// Where the manifest comes from: `toml`, `mock-forge-yaml`, or `none` (the bare file's
    /// defaults, its kind from its exports).
    manifest_origin: ManifestOrigin,
    /// The keys of a plugin.yaml that have no effect here.
    unmapped_manifest_keys: Vec<UnmappedKey>,
    hint: Option<&'static str>,
}

pub async fn run(args: InspectArgs, _host: &HostArgs) -> anyhow::Result<()> {
    let file = component_path(&args.plugin)?;
    let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let binary =
        inspect(&bytes).map_err(|e| anyhow::anyhow!("{}: malformed: {e}", file.display()))?;
    let (manifest, manifest_file, manifest_origin, unmapped_manifest_keys) =
        match find_manifest(&args.plugin)? {
            Some(found) => (
                Some(found.manifest),
                Some(found.path),
                found.origin,
                found.unmapped,
            ),
            None => {
                // What loading it would do: a bare file runs under defaults, of the kind its
                // exports say; one that is no plugin shows why below (the hint).
                let bare = Manifest::bare(&file, &bytes).ok();
                if let Some(bare) = &bare {
                    eprintln!("{}", no_manifest_notice(&file, bare.kind));
                }
                (bare, None, ManifestOrigin::None, Vec::new())
            }
        };
    let legacy = match classify(&bytes) {
        Ok(Classification::Legacy(legacy)) => Some(Ok(legacy)),
        Err(err) if matches!(binary, BinaryKind::CoreModule { .. }) => Some(Err(err.to_string())),
        _ => None,
    };
    let world = match &binary {
        BinaryKind::Component { exports, .. } => world_of(exports),
        _ => None,
    };
    let hint = match &binary {
        BinaryKind::CoreModule { .. } if matches!(legacy, Some(Ok(_))) => Some(
            "a core module, not a component: MockForge's legacy plugin ABI; the legacy adapter \
             wraps it into a component when the host loads it (`mfplugin adapt` writes that \
             component)",
        ),
        BinaryKind::CoreModule { .. } => {
            Some("a core module of no legacy convention the adapter knows: the host will refuse it")
        }
        BinaryKind::NotWasm { .. } => Some("not WebAssembly: the host will refuse it"),
        BinaryKind::Component { .. } if world.is_none() => {
            Some("exports none of the mockforge:plugin interfaces: the host will refuse it")
        }
        BinaryKind::Component { .. } => None,
    };
    let report = Report {
        file,
        size_bytes: bytes.len(),
        binary,
        legacy,
        world,
        manifest,
        manifest_file,
        manifest_origin,
        unmapped_manifest_keys,
        hint,
    };
    if args.json {
        out!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_text(&report)?;
    }
    Ok(())
}

/// The world the exports implement: the first served contract version, newest first, whose
/// auth or responder interface is exported.
fn world_of(exports: &[String]) -> Option<&'static str> {
    let has = |name: &str| exports.iter().any(|e| e == name);
    ContractVersion::ALL.iter().rev().find_map(|&version| {
        match (
            has(version.auth_interface()),
            has(version.responder_interface()),
        ) {
            (true, true) => Some(PluginKind::Both.world(version)),
            (true, false) => Some(PluginKind::Auth.world(version)),
            (false, true) => Some(PluginKind::Response.world(version)),
            (false, false) => None,
        }
    })
}

fn print_text(report: &Report) -> anyhow::Result<()> {
    out!("file:      {}", report.file.display());
    out!(
        "size:      {} bytes ({:.1} KiB)",
        report.size_bytes,
        report.size_bytes as f64 / 1024.0
    );
    match &report.binary {
        BinaryKind::NotWasm { detail } => out!("type:      not WebAssembly ({detail})"),
        BinaryKind::CoreModule { imports, exports } => {
            out!("type:      core WebAssembly module");
            match &report.legacy {
                Some(Ok(legacy)) => {
                    out!("legacy:    family {}", legacy.family);
                    out!("allocator: {}", legacy.allocator);
                    for (what, entry) in [("auth", &legacy.auth), ("response", &legacy.response)] {
                        if let Some(entry) = entry {
                            out!("{what:<10} {entry}");
                        }
                    }
                    out!(
                        "wasi state: {} (the WASI adapter's state and stack)",
                        legacy.adapter_memory
                    );
                    out!("instances: {}", legacy.warm_instances());
                }
                Some(Err(why)) => out!("legacy:    not adaptable: {why}"),
                None => {}
            }
            out!("exports:   {}", list(exports));
            out!("imports:   {}", list(imports));
        }
        BinaryKind::Component { imports, exports } => {
            out!("type:      component");
            out!(
                "world:     {}",
                report.world.unwrap_or("none of mockforge:plugin's")
            );
            out!("exports:   {}", list(exports));
            out!("imports:   {}", list(imports));
        }
    }
    if let Some(m) = &report.manifest {
        match (&report.manifest_file, report.manifest_origin) {
            (Some(file), ManifestOrigin::MockForgeYaml) => out!(
                "manifest:  {} (MockForge's {YAML_MANIFEST_FILE}, mapped onto this host's)",
                file.display()
            ),
            (Some(file), _) => out!("manifest:  {}", file.display()),
            (None, _) => out!(
                "manifest:  none ({MANIFEST_FILE} nor {YAML_MANIFEST_FILE} beside the file): \
                 runs under default limits, named after the file, of the kind its exports say"
            ),
        }
        let plugin = format!(
            "plugin:    {} {} ({} plugin) {}",
            m.name, m.version, m.kind, m.description
        );
        out!("{}", plugin.trim_end());
        for key in &report.unmapped_manifest_keys {
            out!("not used:  {key}");
        }
        let m = match &m.backend {
            ManifestBackend::Component(component) => component,
            ManifestBackend::Remote(remote) => {
                out!("remote:    {}", remote.endpoint);
                return Ok(());
            }
        };
        let keys: Vec<&str> = m.config.keys().map(String::as_str).collect();
        out!(
            "config:    {}",
            if keys.is_empty() {
                "-".into()
            } else {
                keys.join(", ")
            }
        );
        let dirs: Vec<String> = m
            .capabilities
            .dirs
            .iter()
            .map(|d| format!("{} as {}", d.host.display(), d.guest))
            .collect();
        out!(
            "requests:  env [{}], read-only dirs [{}]",
            m.capabilities.env.join(", "),
            dirs.join(", ")
        );
        let limit = |v: Option<String>| v.unwrap_or_else(|| "default".into());
        out!(
            "limits:    memory {}, timeout {}, instances {}",
            limit(m.limits.memory_mib.map(|v| format!("{v} MiB"))),
            limit(m.limits.timeout_ms.map(|v| format!("{v} ms"))),
            limit(m.limits.max_instances.map(|v| v.to_string())),
        );
        match m.instances.strategy {
            Some(strategy) => out!("instances: {strategy:?}"),
            None => out!("instances: the host's default (fresh; pooled for Go-built modules)"),
        }
    } else {
        out!("manifest:  none ({MANIFEST_FILE} nor {YAML_MANIFEST_FILE} beside the file)");
    }
    if let Some(hint) = report.hint {
        out!("note:      {hint}");
    }
    Ok(())
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "-".into()
    } else {
        items.join("\n           ")
    }
}
