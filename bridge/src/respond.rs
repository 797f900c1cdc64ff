//! MockForge's `ResponsePlugin` on a component plugin. MockForge asks twice (`can_handle`,
//! then `generate_response`) where a component answers once (`respond`, which produces a
//! response or declines): `can_handle` calls `respond` and keeps a produced response in the
//! [answer cache](crate::AnswerCacheLimits), keyed by the context's request id, for
//! `generate_response` to take.

use std::time::Instant;

use async_trait::async_trait;
use mockforge_plugin_core::{
    PluginCapabilities, PluginContext, PluginResult, ResponseData, ResponsePlugin,
    ResponsePluginConfig, ResponseRequest, Result,
};

use crate::answer_cache::AnswerKey;
use crate::capabilities::plugin_capabilities;
use crate::convert::{response_data, response_request};
use crate::errors::plugin_error;
use crate::plugin::ComponentPlugin;
use crate::timing::elapsed_ms;

#[async_trait]
impl ResponsePlugin for ComponentPlugin {
    fn capabilities(&self) -> PluginCapabilities {
        plugin_capabilities(&self.info())
    }

    /// `config.config` becomes the plugin's `[config]` (see [`ComponentPlugin`]'s docs);
    /// `config.priority` is what [`priority`](ResponsePlugin::priority) reports.
    async fn initialize(&self, config: &ResponsePluginConfig) -> Result<()> {
        self.configure(&config.config, config.priority).await
    }

    /// Asks the plugin to respond: `true` when it produced a response (kept for
    /// `generate_response`), `false` when it declined. A failure is an `Err`, and nothing is
    /// kept.
    async fn can_handle(
        &self,
        context: &PluginContext,
        request: &ResponseRequest,
        _config: &ResponsePluginConfig,
    ) -> Result<PluginResult<bool>> {
        let started = Instant::now();
        let request = response_request(request);
        let key = AnswerKey::new(&context.request_id, &request);
        let answer = self.plugin().respond(request).await.map_err(plugin_error)?;
        let produced = answer.is_some();
        if let Some(response) = answer {
            self.answers.insert(key, response);
        }
        Ok(PluginResult::success(produced, elapsed_ms(started)))
    }

    /// The response `can_handle` kept for this request id (and the same request). When there
    /// is none (`can_handle` was not asked, the answer expired or was evicted, the request id
    /// is empty), the plugin is asked now; if it declines, the result is a failed
    /// `PluginResult` saying so.
    async fn generate_response(
        &self,
        context: &PluginContext,
        request: &ResponseRequest,
        _config: &ResponsePluginConfig,
    ) -> Result<PluginResult<ResponseData>> {
        let started = Instant::now();
        let request = response_request(request);
        let kept = self
            .answers
            .take(&AnswerKey::new(&context.request_id, &request));
        let answer = match kept {
            Some(response) => Some(response),
            None => self.plugin().respond(request).await.map_err(plugin_error)?,
        };
        Ok(match answer {
            Some(response) => PluginResult::success(response_data(response), elapsed_ms(started)),
            None => PluginResult::failure(
                format!("plugin `{}` declined the request", self.plugin().name()),
                elapsed_ms(started),
            ),
        })
    }

    fn priority(&self) -> i32 {
        ComponentPlugin::priority(self)
    }

    fn validate_config(&self, config: &ResponsePluginConfig) -> Result<()> {
        self.check_config(&config.config)
    }

    /// Any: a WIT 0.1 response plugin does not declare what it produces.
    fn supported_content_types(&self) -> Vec<String> {
        vec!["*/*".to_owned()]
    }

    /// Drops the answers kept for `generate_response`; the plugin's instances go when the
    /// last box of it is dropped.
    async fn cleanup(&self) -> Result<()> {
        self.answers.clear();
        Ok(())
    }
}
