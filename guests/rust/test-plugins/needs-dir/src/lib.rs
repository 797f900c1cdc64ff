//! A response plugin that reads a file from a directory its manifest asks for, to test that
//! the host grants it (and that a plugin without the grant cannot read it).

use mockforge_component_sdk::{response_plugin, PluginError, Request, Response, ResponsePlugin};

const FILE: &str = "/data/hello.txt";

struct NeedsDir;

impl ResponsePlugin for NeedsDir {
    fn respond(_req: &Request) -> Result<Option<Response>, PluginError> {
        let content = std::fs::read(FILE)
            .map_err(|e| PluginError::Internal(format!("cannot read {FILE}: {e}")))?;
        Ok(Some(Response::new(200).with_body(content)))
    }
}

response_plugin!(NeedsDir);
