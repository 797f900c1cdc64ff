//! The way of a built guest language: the plugins `just build-guests` stages under
//! `target/plugins/<language>/<plugin>/` (components, or legacy core modules of one family),
//! the ones the language serves, and loading one with a case's configuration changes after
//! checking once that its binary is of the language's form.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use mockforge_component_host::{ContractVersion, Manifest, Plugin, PluginHost};

use super::form::GuestForm;
use super::source::{BoxFuture, ObtainError, PluginSource};
use super::vectors::ConfigChanges;
use crate::{staged_language_dir, workspace_root};

/// A guest language's staged plugins.
pub struct StagedGuest {
    language: &'static str,
    /// The way's name: the language, with `@0.1` for its frozen 0.1 plugins.
    name: String,
    form: GuestForm,
    /// The contract version its plugins implement.
    contract: ContractVersion,
    /// Its plugins are the frozen 0.1 copies: staged in `0.1/`, built from `plugins-0.1/`.
    frozen: bool,
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
            name: language.to_owned(),
            form,
            contract: ContractVersion::V0_1,
            frozen: false,
            served,
            checked: Mutex::new(BTreeMap::new()),
        }
    }

    /// A language whose components implement contract `contract`.
    pub fn component(language: &'static str, contract: ContractVersion) -> Self {
        Self {
            contract,
            ..Self::new(language, GuestForm::Component)
        }
    }

    /// A component language's frozen 0.1 plugins (`guests/<language>/plugins-0.1/`, staged
    /// in `target/plugins/<language>/0.1/`): every one there is served.
    pub fn frozen_v0_1(language: &'static str) -> Self {
        let folder = workspace_root()
            .join("guests")
            .join(language)
            .join(FROZEN_SOURCES);
        let mut served: Vec<String> = std::fs::read_dir(&folder)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|entry| entry.path().is_dir())
                    .map(|entry| entry.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        served.sort();
        Self {
            name: format!("{language}@0.1"),
            frozen: true,
            served: Some(served),
            ..Self::component(language, ContractVersion::V0_1)
        }
    }

    /// Whether `guests/<language>/plugins-0.1/` exists.
    pub fn has_frozen_v0_1(language: &str) -> bool {
        workspace_root()
            .join("guests")
            .join(language)
            .join(FROZEN_SOURCES)
            .is_dir()
    }

    fn staged_dir(&self) -> PathBuf {
        let dir = staged_language_dir(self.language);
        match self.frozen {
            true => dir.join(FROZEN_STAGED),
            false => dir,
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
        let dir = self.staged_dir().join(plugin);
        let manifest_path = dir.join("plugin.toml");
        if !manifest_path.is_file() {
            return Err(ObtainError::Unavailable(format!(
                "not built at {}; run `just build-guests --languages {language}` (install the \
                 toolchain first with `bash guests/{language}/setup.sh`)",
                dir.display(),
                language = self.language
            )));
        }
        let manifest = Manifest::from_file(&manifest_path)
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
        let loaded = if config.is_empty() {
            host.load(&dir)
                .await
                .map_err(|e| ObtainError::Load(e.report()))?
        } else {
            self.load_changed(host, &dir, manifest, &component, config)
                .await?
        };
        // An adapted legacy module implements the adapters' contract, whatever vectors it runs.
        let implements = match self.form {
            GuestForm::Legacy(_) => mockforge_component_adapters::ADAPTED_CONTRACT,
            _ => self.contract,
        };
        match loaded.info().contract {
            Some(contract) if contract == implements => Ok(loaded),
            found => Err(ObtainError::Unavailable(format!(
                "{} implements contract {}, but this way gives {} plugins; rebuild it with \
                 `just build-guests --languages {}`",
                dir.display(),
                found.map_or("(none)", |v| v.as_str()),
                implements.as_str(),
                self.language
            ))),
        }
    }

    /// Loads the plugin in `dir` with `config` applied to its `manifest`.
    async fn load_changed(
        &self,
        host: &PluginHost,
        dir: &Path,
        mut manifest: Manifest,
        component: &Path,
        config: &ConfigChanges,
    ) -> Result<Plugin, ObtainError> {
        if let Some(component_manifest) = manifest.component_mut() {
            for (key, value) in config {
                match value {
                    Some(value) => component_manifest.config.insert(key.clone(), value.clone()),
                    None => component_manifest.config.remove(key),
                };
            }
        }
        let bytes = std::fs::read(component)
            .map_err(|e| ObtainError::Unavailable(format!("{}: {e}", component.display())))?;
        host.load_bytes(bytes, manifest, dir)
            .await
            .map_err(|e| ObtainError::Load(e.report()))
    }
}

/// Where a language keeps its frozen 0.1 plugins' sources, under `guests/<language>/`.
pub const FROZEN_SOURCES: &str = "plugins-0.1";
/// Where its build stages them, under `target/plugins/<language>/`.
pub const FROZEN_STAGED: &str = "0.1";

impl PluginSource for StagedGuest {
    fn name(&self) -> &str {
        &self.name
    }

    fn contract(&self) -> ContractVersion {
        self.contract
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
                    .join(match self.frozen {
                        true => FROZEN_SOURCES,
                        false => "plugins",
                    })
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
