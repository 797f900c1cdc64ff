//! The way of a built guest language: the plugins `just build-guests` stages under
//! `target/plugins/<language>/<plugin>/` (components, or legacy core modules of one family),
//! the ones the language serves, and loading one with a case's configuration changes after
//! checking once that its binary is of the language's form.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use mockforge_component_host::{Manifest, Plugin, PluginHost};

use super::form::GuestForm;
use super::source::{BoxFuture, ObtainError, PluginSource};
use super::vectors::ConfigChanges;
use crate::{staged_language_dir, workspace_root};

/// A guest language's staged plugins.
pub struct StagedGuest {
    language: &'static str,
    form: GuestForm,
    /// `None`: every vector plugin.
    served: Option<Vec<String>>,
    /// Per plugin, whether its binary is of the way's form (checked on first use).
    checked: Mutex<BTreeMap<String, Result<(), String>>>,
}

impl StagedGuest {
    /// The plugins `guests/<language>/build.sh` stages. A language that cannot serve every
    /// plugin (the legacy conventions have no response plugins) lists those it serves in
    /// `guests/<language>/conformance-plugins`, one a line (`#` starts a comment line).
    /// Each of its binaries must be of `form`.
    pub fn new(language: &'static str, form: GuestForm) -> Self {
        let list = workspace_root()
            .join("guests")
            .join(language)
            .join("conformance-plugins");
        let served = std::fs::read_to_string(list).ok().map(|text| {
            text.lines()
                .map(str::trim)
                .filter(|line| !line.is_empty() && !line.starts_with('#'))
                .map(str::to_owned)
                .collect()
        });
        Self {
            language,
            form,
            served,
            checked: Mutex::new(BTreeMap::new()),
        }
    }

    /// Loads the staged `plugin` with `config` applied, once its binary has been found of
    /// the language's form.
    async fn load(
        &self,
        host: &PluginHost,
        plugin: &str,
        config: &ConfigChanges,
    ) -> Result<Plugin, ObtainError> {
        let dir = staged_language_dir(self.language).join(plugin);
        let manifest_path = dir.join("plugin.toml");
        if !manifest_path.is_file() {
            return Err(ObtainError::Unavailable(format!(
                "not built at {}; run `just build-guests --languages {language}` (install the \
                 toolchain first with `bash guests/{language}/setup.sh`)",
                dir.display(),
                language = self.language
            )));
        }
        let mut manifest = Manifest::from_file(&manifest_path)
            .map_err(|e| ObtainError::Unavailable(e.report()))?;
        let Some(component_file) = manifest.component().map(|c| c.component.clone()) else {
            return Err(ObtainError::Unavailable(format!(
                "{}: a remote plugin's manifest, not a guest's",
                manifest_path.display()
            )));
        };
        let component = dir.join(component_file);
        let checked = self
            .checked
            .lock()
            .expect("not poisoned")
            .get(plugin)
            .cloned();
        let checked = match checked {
            Some(checked) => checked,
            None => {
                let verdict = std::fs::read(&component)
                    .map_err(|e| format!("{}: {e}", component.display()))
                    .and_then(|bytes| self.form.check(&bytes));
                self.checked
                    .lock()
                    .expect("not poisoned")
                    .insert(plugin.to_owned(), verdict.clone());
                verdict
            }
        };
        checked.map_err(ObtainError::Unavailable)?;
        if config.is_empty() {
            return host
                .load(&dir)
                .await
                .map_err(|e| ObtainError::Load(e.report()));
        }
        if let Some(component_manifest) = manifest.component_mut() {
            for (key, value) in config {
                match value {
                    Some(value) => component_manifest.config.insert(key.clone(), value.clone()),
                    None => component_manifest.config.remove(key),
                };
            }
        }
        let bytes = std::fs::read(&component)
            .map_err(|e| ObtainError::Unavailable(format!("{}: {e}", component.display())))?;
        host.load_bytes(bytes, manifest, &dir)
            .await
            .map_err(|e| ObtainError::Load(e.report()))
    }
}

impl PluginSource for StagedGuest {
    fn name(&self) -> &str {
        self.language
    }

    fn form(&self) -> String {
        self.form.describe()
    }

    fn serves(&self, plugin: &str) -> bool {
        self.served
            .as_ref()
            .is_none_or(|served| served.iter().any(|name| name == plugin))
    }

    /// `guests/<language>/plugins/<plugin>` for every served plugin of `vector_plugins`.
    fn guest_sources(&self, vector_plugins: &[String]) -> Vec<PathBuf> {
        vector_plugins
            .iter()
            .filter(|plugin| self.serves(plugin))
            .map(|plugin| {
                Path::new("guests")
                    .join(self.language)
                    .join("plugins")
                    .join(plugin)
            })
            .collect()
    }

    fn obtain<'a>(
        &'a self,
        host: &'a PluginHost,
        plugin: &'a str,
        config: &'a ConfigChanges,
    ) -> BoxFuture<'a, Result<Plugin, ObtainError>> {
        Box::pin(self.load(host, plugin, config))
    }
}
