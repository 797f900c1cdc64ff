//! `mfplugin serve`: the mock server with plugins on its request path, until SIGINT or SIGTERM.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::Args;
use mockforge_component_server::config::ServerConfig;
use mockforge_component_server::{ServeOptions, Server};

use crate::loading::host;
use crate::HostArgs;

/// The configuration `serve` and `demo` use without `--config`.
pub const DEMO_CONFIG: &str = include_str!("demo-server.toml");

/// Arguments of `serve`.
#[derive(Args)]
pub struct ServeArgs {
    /// The server's configuration (TOML); without it, the embedded demo configuration.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Where the embedded configuration finds its plugins (`just build-guests` stages them).
    #[arg(long, value_name = "DIR", default_value = "target/plugins")]
    plugins: PathBuf,
    /// Listen here instead of the configuration's `listen`.
    #[arg(long, value_name = "ADDR")]
    listen: Option<SocketAddr>,
}

/// The options for the embedded demo configuration, its plugins under `plugins`.
pub fn demo_options(plugins: &Path, listen: Option<SocketAddr>) -> anyhow::Result<ServeOptions> {
    Ok(ServeOptions {
        config: ServerConfig::parse(DEMO_CONFIG, "the embedded demo configuration")?,
        config_path: None,
        base_dir: plugins.to_owned(),
        listen,
    })
}

pub async fn run(args: ServeArgs, host_args: &HostArgs) -> anyhow::Result<()> {
    let options = match &args.config {
        Some(file) => ServeOptions {
            config: ServerConfig::from_file(file)?,
            config_path: Some(std::path::absolute(file)?),
            base_dir: std::path::absolute(file)?
                .parent()
                .map(Path::to_owned)
                .unwrap_or_default(),
            listen: args.listen,
        },
        None => demo_options(&std::path::absolute(&args.plugins)?, args.listen)?,
    };
    let host = host(host_args)?;
    eprintln!(
        "loading {} plugins (a first load compiles them)...",
        options.config.plugins.len()
    );
    let server = Server::start(host, options).await?;
    let addr = server.local_addr();
    let generation = server.shared().current();
    out!("mock server on http://{addr}");
    for plugin in &generation.plugins {
        let info = plugin.chained.plugin().info();
        let paths = if plugin.entry.paths.is_empty() {
            "every path".to_owned()
        } else {
            plugin.entry.paths.join(", ")
        };
        out!("  {:<18} {:<8} {}", info.name, info.kind.to_string(), paths);
    }
    for route in &generation.config.routes {
        out!("  route {:<6} {}", route.method, route.path);
    }
    out!(
        "admin: http://{addr}/__mockforge/plugins, /__mockforge/metrics, POST /__mockforge/reload"
    );
    out!("stop with Ctrl-C");
    drop(generation);
    server.run_until_signal().await;
    Ok(())
}
