//! MockForge's `AuthPlugin` on a component plugin: `authenticate` is the host's
//! [`Plugin::authenticate`](mockforge_component_host::Plugin::authenticate).

use std::time::Instant;

use async_trait::async_trait;
use mockforge_plugin_core::{
    AuthPlugin, AuthPluginConfig, AuthRequest, AuthResponse, PluginCapabilities, PluginContext,
    PluginResult, Result,
};

use crate::capabilities::plugin_capabilities;
use crate::convert::{auth_request, auth_response};
use crate::errors::plugin_error;
use crate::plugin::ComponentPlugin;
use crate::timing::elapsed_ms;

#[async_trait]
impl AuthPlugin for ComponentPlugin {
    fn capabilities(&self) -> PluginCapabilities {
        plugin_capabilities(&self.info())
    }

    /// `config.config` becomes the plugin's `[config]` (see
    /// [`ComponentPlugin`]'s docs); `config.priority` is kept.
    async fn initialize(&self, config: &AuthPluginConfig) -> Result<()> {
        self.configure(&config.config, config.priority).await
    }

    /// The plugin's verdict: an allow is a successful `AuthResponse` with the identity and
    /// claims, a deny a failed one with the status and headers in its `metadata` (see
    /// [`auth_response`](crate::auth_response)); both are a successful `PluginResult`. A
    /// failure to decide (a trap, a timeout, the plugin's own error) is an `Err`.
    ///
    /// `context` and `config` are not passed to the plugin: WIT 0.1 has no place for them, and
    /// the configuration was applied by `initialize`.
    async fn authenticate(
        &self,
        _context: &PluginContext,
        request: &AuthRequest,
        _config: &AuthPluginConfig,
    ) -> Result<PluginResult<AuthResponse>> {
        let started = Instant::now();
        let outcome = self
            .plugin()
            .authenticate(auth_request(request))
            .await
            .map_err(plugin_error)?;
        Ok(PluginResult::success(
            auth_response(outcome),
            elapsed_ms(started),
        ))
    }

    fn validate_config(&self, config: &AuthPluginConfig) -> Result<()> {
        self.check_config(&config.config)
    }

    /// None: a WIT 0.1 auth plugin does not declare the schemes it reads.
    fn supported_schemes(&self) -> Vec<String> {
        Vec::new()
    }

    /// Drops the answers kept for `generate_response` (shared by the three traits); the
    /// plugin's instances go when the last box of it is dropped.
    async fn cleanup(&self) -> Result<()> {
        self.answers.clear();
        Ok(())
    }
}
