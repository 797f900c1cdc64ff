//! A remote plugin: one of the Python SDK's examples (`guests/python/remote-examples/`) served
//! by uvicorn as a child process on 127.0.0.1, loaded from a plugin folder whose manifest has
//! a `[remote]` table.

use std::path::{Path, PathBuf};

use mockforge_component_host::{Plugin, PluginHost};
use mockforge_component_testkit::{free_port, ChildProcess, RemoteExamples, TempDir};

use super::source::{BoxFuture, Capabilities, ObtainError, PluginSource};
use super::vectors::ConfigChanges;
use crate::workspace_root;

/// The shared secret between the host and the example.
const SECRET: &str = "conformance-remote-secret";

/// One remote example serving one vector plugin.
pub struct RemotePython {
    module: &'static str,
    plugin: &'static str,
    kind: &'static str,
    running: Option<Running>,
}

/// The example's process and the plugin folder pointing at it.
struct Running {
    _process: ChildProcess,
    folder: TempDir,
}

impl RemotePython {
    /// `guests/python/remote-examples/<module>.py`, which serves the vector plugin `plugin`
    /// of kind `kind` (`auth`, `response`).
    pub fn new(module: &'static str, plugin: &'static str, kind: &'static str) -> Self {
        Self {
            module,
            plugin,
            kind,
            running: None,
        }
    }

    /// Starts the example and writes its plugin folder.
    fn start(&self) -> Result<Running, String> {
        let root = workspace_root();
        let examples = RemoteExamples::of_checkout(&root).map_err(|e| e.to_string())?;
        let port = free_port();
        let process = examples
            .uvicorn(self.module, port, SECRET, &[])
            .map_err(|e| e.to_string())?;
        let folder = TempDir::new_in(&root.join("target/tmp"), "conformance-remote")
            .map_err(|e| format!("a plugin folder for the remote: {e}"))?;
        // Errors rather than a fail-closed 503 denial while the remote is unavailable, and a
        // deadline a 1 MiB body through Python meets on a loaded machine.
        let manifest = format!(
            "name = \"{plugin}\"\nversion = \"0.1.0\"\nkind = \"{kind}\"\n\n[remote]\n\
             endpoint = \"http://127.0.0.1:{port}\"\nsecret = \"{SECRET}\"\n\
             health-interval-ms = 0\nretries = 0\ntimeout-ms = 10000\non-unavailable = \"error\"\n",
            plugin = self.plugin,
            kind = self.kind,
        );
        std::fs::write(folder.join("plugin.toml"), manifest)
            .map_err(|e| format!("writing the remote's manifest: {e}"))?;
        Ok(Running {
            _process: process,
            folder,
        })
    }
}

impl PluginSource for RemotePython {
    fn name(&self) -> &str {
        "python-remote"
    }

    fn form(&self) -> String {
        format!("remote over HTTP, {}.py under uvicorn", self.module)
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            edits_config: false,
        }
    }

    fn serves(&self, plugin: &str) -> bool {
        plugin == self.plugin
    }

    fn guest_sources(&self, _vector_plugins: &[String]) -> Vec<PathBuf> {
        vec![Path::new("guests/python/remote-examples").join(format!("{}.py", self.module))]
    }

    fn prepare<'a>(&'a mut self, host: &'a PluginHost) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let running = self.start()?;
            // The remote describes itself as the manifest says (name, kind, protocol).
            let plugin = host
                .load(running.folder.path())
                .await
                .map_err(|e| e.to_string())?;
            plugin
                .probe()
                .await
                .map_err(|e| format!("the remote's description: {e}"))?;
            self.running = Some(running);
            Ok(())
        })
    }

    fn obtain<'a>(
        &'a self,
        host: &'a PluginHost,
        _plugin: &'a str,
        config: &'a ConfigChanges,
    ) -> BoxFuture<'a, Result<Plugin, ObtainError>> {
        Box::pin(async move {
            let Some(running) = &self.running else {
                return Err(ObtainError::Unavailable("not started".into()));
            };
            if !config.is_empty() {
                return Err(ObtainError::Load(
                    "a remote plugin's configuration is its process's: the case needs a way \
                     that edits [config]"
                        .into(),
                ));
            }
            let plugin = host
                .load(running.folder.path())
                .await
                .map_err(|e| ObtainError::Load(e.to_string()))?;
            if plugin.info().endpoint.is_none() {
                return Err(ObtainError::Unavailable(
                    "the folder loaded as a component, not as a remote plugin".into(),
                ));
            }
            Ok(plugin)
        })
    }
}
