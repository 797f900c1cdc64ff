//! MockForge's `ResponseModifierPlugin` on a component plugin: `modify_response` is the
//! host's [`Plugin::modify`](mockforge_component_host::Plugin::modify).

use std::time::Instant;

use async_trait::async_trait;
use mockforge_plugin_core::{
    PluginCapabilities, PluginContext, PluginResult, ResponseData, ResponseModifierConfig,
    ResponseModifierPlugin, ResponseRequest, Result,
};

use crate::capabilities::plugin_capabilities;
use crate::convert::{host_response, modified_response_data, response_request};
use crate::errors::plugin_error;
use crate::plugin::ComponentPlugin;
use crate::timing::elapsed_ms;

#[async_trait]
impl ResponseModifierPlugin for ComponentPlugin {
    fn capabilities(&self) -> PluginCapabilities {
        plugin_capabilities(&self.info())
    }

    /// `config.config` becomes the plugin's `[config]` (see [`ComponentPlugin`]'s docs);
    /// `config.priority` is what [`priority`](ResponseModifierPlugin::priority) reports.
    async fn initialize(&self, config: &ResponseModifierConfig) -> Result<()> {
        self.configure(&config.config, config.priority).await
    }

    /// `true` for a response plugin: WIT 0.1 has no such question, its `modify` sees every
    /// response and returns it unchanged when it has nothing to do. MockForge's own filters
    /// in `config` (status codes, content types, methods, URL patterns) are MockForge's to
    /// apply. `false` for an auth-only plugin, which cannot modify.
    async fn should_modify(
        &self,
        _context: &PluginContext,
        _request: &ResponseRequest,
        _response: &ResponseData,
        _config: &ResponseModifierConfig,
    ) -> Result<PluginResult<bool>> {
        Ok(PluginResult::success(self.kind().responds(), 0))
    }

    /// The plugin's modified response. MockForge's `metadata` and `custom` values on the
    /// response are kept as they were; see [`host_response`](crate::host_response) and
    /// [`response_data`](crate::response_data) for the headers.
    async fn modify_response(
        &self,
        _context: &PluginContext,
        request: &ResponseRequest,
        response: ResponseData,
        _config: &ResponseModifierConfig,
    ) -> Result<PluginResult<ResponseData>> {
        let started = Instant::now();
        let modified = self
            .plugin()
            .modify(response_request(request), host_response(&response))
            .await
            .map_err(plugin_error)?;
        Ok(PluginResult::success(
            modified_response_data(modified, response),
            elapsed_ms(started),
        ))
    }

    fn priority(&self) -> i32 {
        ComponentPlugin::priority(self)
    }

    fn validate_config(&self, config: &ResponseModifierConfig) -> Result<()> {
        self.check_config(&config.config)
    }

    /// Drops the answers kept for `generate_response` (shared by the three traits); the
    /// plugin's instances go when the last box of it is dropped.
    async fn cleanup(&self) -> Result<()> {
        self.answers.clear();
        Ok(())
    }
}
