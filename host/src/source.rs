//! A plugin as read, before anything is compiled or called: its manifest, its component's
//! bytes (none for a remote plugin), the folder its relative paths resolve against, and the
//! manifest file's text (what a signature covers).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::files::MAX_MANIFEST_BYTES;
use crate::manifest::{Manifest, MANIFEST_FILE};

/// A manifest's plugin bytes and where relative paths resolve.
pub(crate) struct Source {
    pub(crate) manifest: Manifest,
    pub(crate) bytes: Vec<u8>,
    pub(crate) base: PathBuf,
    pub(crate) path: Option<PathBuf>,
    /// The manifest file as read, for a plugin loaded from files (what a signature covers).
    pub(crate) manifest_file: Option<ManifestFile>,
}

/// The manifest file a plugin was read from: where it is and its text exactly as read
/// (what a signature covers).
#[derive(Debug, Clone)]
pub(crate) struct ManifestFile {
    pub path: PathBuf,
    pub text: String,
}

/// What reading a plugin's files allows: the caps and the folder confinement of
/// [`HostConfig`](crate::HostConfig), without the rest of it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReadRules {
    /// [`CompileBudget::max_component_bytes`](crate::CompileBudget::max_component_bytes).
    pub(crate) max_component_bytes: u64,
    /// [`HostConfig::component_outside_plugin_folder`](crate::HostConfig).
    pub(crate) component_outside_plugin_folder: bool,
}

impl Default for ReadRules {
    /// The rules of a host with the default settings.
    fn default() -> Self {
        Self {
            max_component_bytes: crate::budget::DEFAULT_MAX_COMPONENT_BYTES,
            component_outside_plugin_folder: false,
        }
    }
}

/// The manifest of the plugin at `path`: its folder (holding `plugin.toml`), its
/// `plugin.toml`, or its component file with `plugin.toml` beside it.
pub fn manifest_path(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join(MANIFEST_FILE)
    } else if path.extension().is_some_and(|ext| ext == "toml") {
        path.to_owned()
    } else {
        path.with_file_name(MANIFEST_FILE)
    }
}

/// Reads the manifest and the component bytes for `path`: regular files only, within their
/// caps (the manifest [`MAX_MANIFEST_BYTES`], the component the budget's
/// `max_component_bytes`), the component inside the plugin's folder unless `config` allows
/// otherwise.
pub(crate) fn read_source(path: &Path, config: &ReadRules) -> Result<Source> {
    let manifest_path = manifest_path(path);
    let origin = path.display().to_string();
    let text = crate::files::read_file(&manifest_path, MAX_MANIFEST_BYTES, "MAX_MANIFEST_BYTES")
        .and_then(|bytes| String::from_utf8(bytes).map_err(std::io::Error::other))
        .map_err(|error| Error::io(&origin, &manifest_path, error))?;
    let manifest = Manifest::parse(&text, &origin)?;
    let base = manifest_path
        .parent()
        .map(Path::to_owned)
        .unwrap_or_default();
    let manifest_file = Some(ManifestFile {
        path: manifest_path.clone(),
        text,
    });
    let Some(component_manifest) = manifest.component() else {
        return Ok(Source {
            manifest,
            bytes: Vec::new(),
            base,
            path: Some(manifest_path),
            manifest_file,
        });
    };
    let component_file = component_manifest.component.clone();
    let from_manifest = path.is_dir() || manifest_path == path;
    let component = if from_manifest {
        base.join(&component_file)
    } else {
        path.to_owned()
    };
    let io_error = |error| Error::io(&manifest.name, &component, error);
    let file = if from_manifest && !config.component_outside_plugin_folder {
        if !crate::files::stays_inside(&component_file) {
            return Err(Error::manifest(
                &manifest.name,
                format!(
                    "key `component`: `{}` leads out of the plugin's folder (an absolute path \
                     or `..`); the host allows only files inside it",
                    component_file.display()
                ),
            ));
        }
        let base_dir = if base.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &base
        };
        crate::files::open_inside(base_dir, &component_file).map_err(io_error)?
    } else {
        crate::files::open(&component).map_err(io_error)?
    };
    let bytes = crate::files::read_capped(
        file,
        config.max_component_bytes,
        "CompileBudget::max_component_bytes",
    )
    .map_err(io_error)?;
    Ok(Source {
        manifest,
        bytes,
        base,
        path: Some(component),
        manifest_file,
    })
}
