//! What a loaded plugin may do, as MockForge's `PluginCapabilities`: the limits the host
//! enforces and what the embedder's policy granted from the manifest's `[capabilities]`.

use mockforge_component_host::{InstanceStrategy, PluginInfo};
use mockforge_plugin_core::{
    FilesystemPermissions, NetworkPermissions, PluginCapabilities, ResourceLimits,
};
use serde_json::{json, Value};

/// MockForge's capabilities for a loaded plugin:
///
/// - `network`: none. A component has no sockets; a remote plugin is called by the host (its
///   endpoint is under `custom["endpoint"]`), it makes no connections of its own through us.
/// - `filesystem`: the granted directories' guest paths, read-only; no temporary files.
/// - `resources`: the memory limit, the time limit per call, and the instances alive at once
///   as the concurrent executions (calls beyond wait). A call runs on one thread: 100% of one
///   core at most.
/// - `custom`: `kind`, `world`, `version`, `instances` (`fresh` or `pooled`), `pool-size`,
///   `env` (the names of granted environment variables, never their values) and, for a
///   remote plugin, `endpoint`.
pub fn plugin_capabilities(info: &PluginInfo) -> PluginCapabilities {
    let limits = &info.limits;
    let mut custom = serde_json::Map::new();
    custom.insert("kind".into(), json!(info.kind));
    custom.insert("world".into(), json!(info.world));
    custom.insert("version".into(), json!(info.version));
    custom.insert(
        "instances".into(),
        json!(match limits.strategy {
            InstanceStrategy::Fresh => "fresh",
            InstanceStrategy::Pooled => "pooled",
        }),
    );
    custom.insert("pool-size".into(), json!(limits.pool_size));
    custom.insert(
        "env".into(),
        Value::Array(info.grant.env.iter().map(|(name, _)| json!(name)).collect()),
    );
    if let Some(endpoint) = &info.endpoint {
        custom.insert("endpoint".into(), json!(endpoint));
    }
    PluginCapabilities {
        network: NetworkPermissions {
            allow_http: false,
            allowed_hosts: Vec::new(),
            max_connections: 0,
        },
        filesystem: FilesystemPermissions {
            read_paths: info
                .grant
                .dirs
                .iter()
                .map(|(_, guest)| guest.clone())
                .collect(),
            write_paths: Vec::new(),
            allow_temp_files: false,
        },
        resources: ResourceLimits {
            max_memory_bytes: usize::try_from(limits.memory_bytes).unwrap_or(usize::MAX),
            max_cpu_percent: 1.0,
            max_execution_time_ms: u64::try_from(limits.timeout.as_millis()).unwrap_or(u64::MAX),
            max_concurrent_executions: limits.max_instances,
        },
        custom: custom.into_iter().collect(),
    }
}
