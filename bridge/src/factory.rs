//! MockForge's plugin factories (`AuthPluginFactory`, `ResponsePluginFactory`,
//! `ResponseModifierPluginFactory`): their `create_plugin` is synchronous, so the factory
//! loads the plugin once, up front, and each plugin it creates shares that loaded plugin
//! (its compiled code, instances and metrics) with its own configuration and answer cache.

use std::path::Path;

use mockforge_component_host::{PluginHost, PluginKind};
use mockforge_plugin_core::{
    AuthPlugin, AuthPluginFactory, PluginError, ResponseModifierPlugin, ResponsePlugin, Result,
};

use mockforge_plugin_core::response::{ResponseModifierPluginFactory, ResponsePluginFactory};

use crate::answer_cache::AnswerCacheLimits;
use crate::plugin::ComponentPlugin;

/// Creates MockForge plugin objects over one loaded component plugin.
#[derive(Debug)]
pub struct ComponentPluginFactory {
    loaded: ComponentPlugin,
}

impl ComponentPluginFactory {
    /// Loads the plugin at `path` with `host` (as [`ComponentPlugin::load`]).
    pub async fn load(host: &PluginHost, path: impl AsRef<Path>) -> Result<Self> {
        Self::load_with(host, path, AnswerCacheLimits::default()).await
    }

    /// Loads the plugin at `path` with `host`; each plugin created keeps answers within
    /// `answer_limits`.
    pub async fn load_with(
        host: &PluginHost,
        path: impl AsRef<Path>,
        answer_limits: AnswerCacheLimits,
    ) -> Result<Self> {
        let loaded = ComponentPlugin::load_with(host, path, answer_limits).await?;
        Ok(Self { loaded })
    }

    /// The loaded plugin's kind.
    pub fn kind(&self) -> PluginKind {
        self.loaded.kind()
    }

    /// A new bridge over the loaded plugin, when its kind offers what MockForge asks for.
    fn create(&self, wanted: &str, offers: bool) -> Result<ComponentPlugin> {
        if !offers {
            return Err(PluginError::ExecutionError {
                message: format!(
                    "plugin `{}` is a {} plugin, not {wanted}",
                    self.loaded.plugin().name(),
                    self.kind()
                ),
            });
        }
        Ok(self.loaded.sibling())
    }
}

impl AuthPluginFactory for ComponentPluginFactory {
    /// An `AuthPlugin`, when the plugin's kind is `auth` or `both`.
    fn create_plugin(&self) -> Result<Box<dyn AuthPlugin>> {
        let plugin = self.create("an auth plugin", self.kind().authenticates())?;
        Ok(Box::new(plugin))
    }
}

impl ResponsePluginFactory for ComponentPluginFactory {
    /// A `ResponsePlugin`, when the plugin's kind is `response` or `both`.
    fn create_plugin(&self) -> Result<Box<dyn ResponsePlugin>> {
        let plugin = self.create("a response plugin", self.kind().responds())?;
        Ok(Box::new(plugin))
    }
}

impl ResponseModifierPluginFactory for ComponentPluginFactory {
    /// A `ResponseModifierPlugin`, when the plugin's kind is `response` or `both`.
    fn create_plugin(&self) -> Result<Box<dyn ResponseModifierPlugin>> {
        let plugin = self.create("a response modifier plugin", self.kind().responds())?;
        Ok(Box::new(plugin))
    }
}
