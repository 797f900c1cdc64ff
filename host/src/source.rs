//! A plugin as read, before anything is compiled or called: its manifest (`plugin.toml`,
//! MockForge's `plugin.yaml`, or none for a bare `.wasm`), its component's bytes (none for a
//! remote plugin), the folder its relative paths resolve against, and the manifest file's
//! text (what a signature covers).

use std::io;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::files::MAX_MANIFEST_BYTES;
use crate::info::ManifestOrigin;
use crate::manifest::{Manifest, UnmappedKey, MANIFEST_FILE, YAML_MANIFEST_FILE};

/// A manifest's plugin bytes and where relative paths resolve.
pub(crate) struct Source {
    pub(crate) manifest: Manifest,
    pub(crate) bytes: Vec<u8>,
    pub(crate) base: PathBuf,
    pub(crate) path: Option<PathBuf>,
    /// The manifest file as read, for a plugin loaded from files (what a signature covers).
    pub(crate) manifest_file: Option<ManifestFile>,
    /// Where the manifest came from.
    pub(crate) origin: ManifestOrigin,
    /// The keys of a `plugin.yaml` that have no effect here.
    pub(crate) unmapped: Vec<UnmappedKey>,
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

/// Whether `path` names a manifest file by its extension (`.toml`, `.yaml`, `.yml`).
fn is_manifest_file_name(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext == "toml" || ext == "yaml" || ext == "yml")
}

/// The manifest of the plugin at `path`: its folder, its manifest file, or its component file
/// with the manifest beside it. In a folder, `plugin.toml` when there is one, else MockForge's
/// `plugin.yaml` when there is one, else `plugin.toml` (which does not exist).
pub fn manifest_path(path: &Path) -> PathBuf {
    if !path.is_dir() && is_manifest_file_name(path) {
        return path.to_owned();
    }
    let folder = if path.is_dir() {
        path.to_owned()
    } else {
        path.parent().map(Path::to_owned).unwrap_or_default()
    };
    let toml = folder.join(MANIFEST_FILE);
    let yaml = folder.join(YAML_MANIFEST_FILE);
    if !toml.exists() && yaml.exists() {
        yaml
    } else {
        toml
    }
}

/// A plugin's manifest as found on disk.
#[derive(Debug, Clone)]
pub struct FoundManifest {
    /// The manifest file.
    pub path: PathBuf,
    /// [`ManifestOrigin::Toml`] or [`ManifestOrigin::MockForgeYaml`].
    pub origin: ManifestOrigin,
    /// The manifest. For a `plugin.yaml`, which names no WebAssembly file, its `component` is
    /// the file found beside it: `plugin.wasm`, else the folder's only `.wasm` file (or the
    /// `.wasm` file the plugin was named by).
    pub manifest: Manifest,
    /// The keys of a `plugin.yaml` that have no effect here.
    pub unmapped: Vec<UnmappedKey>,
}

/// Reads the manifest of the plugin at `path` (a folder, a manifest file, or a component
/// file with its manifest beside it: see [`manifest_path`]); `Ok(None)` when the folder
/// holds neither `plugin.toml` nor `plugin.yaml`.
pub fn find_manifest(path: &Path) -> Result<Option<FoundManifest>> {
    Ok(read_manifest(path)?.map(|(found, _)| found))
}

/// The manifest of `path` and the file's text, or `None` when there is no manifest file.
fn read_manifest(path: &Path) -> Result<Option<(FoundManifest, String)>> {
    match read_manifest_or_missing(path)? {
        Ok(found) => Ok(Some(found)),
        Err(_) => Ok(None),
    }
}

/// The manifest of `path` and the file's text, or the error saying the manifest file is
/// missing (the folder holds neither `plugin.toml` nor `plugin.yaml`).
fn read_manifest_or_missing(
    path: &Path,
) -> Result<std::result::Result<(FoundManifest, String), Error>> {
    let manifest_path = manifest_path(path);
    let origin = path.display().to_string();
    let text =
        match crate::files::read_file(&manifest_path, MAX_MANIFEST_BYTES, "MAX_MANIFEST_BYTES")
            .and_then(|bytes| String::from_utf8(bytes).map_err(io::Error::other))
        {
            Ok(text) => text,
            Err(error) if error.kind() == io::ErrorKind::NotFound && manifest_path != path => {
                let error = io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("{error} (and no {YAML_MANIFEST_FILE} beside it)"),
                );
                return Ok(Err(Error::io(&origin, &manifest_path, error)));
            }
            Err(error) => return Err(Error::io(&origin, &manifest_path, error)),
        };
    let is_yaml = manifest_path
        .extension()
        .is_some_and(|ext| ext == "yaml" || ext == "yml");
    if !is_yaml {
        let manifest = Manifest::parse(&text, &origin)?;
        let found = FoundManifest {
            path: manifest_path,
            origin: ManifestOrigin::Toml,
            manifest,
            unmapped: Vec::new(),
        };
        return Ok(Ok((found, text)));
    }
    let file = manifest_path.display().to_string();
    let read = Manifest::parse_yaml(&text, &file)?;
    let mut manifest = read.manifest;
    let named_file = (!path.is_dir() && !is_manifest_file_name(path))
        .then(|| path.file_name())
        .flatten();
    let wasm = match named_file {
        Some(name) => PathBuf::from(name),
        None => wasm_beside(&manifest_path, &file)?,
    };
    if let Some(component) = manifest.component_mut() {
        component.component = wasm;
    }
    let found = FoundManifest {
        path: manifest_path,
        origin: ManifestOrigin::MockForgeYaml,
        manifest,
        unmapped: read.unmapped,
    };
    Ok(Ok((found, text)))
}

/// The WebAssembly file of a `plugin.yaml` (MockForge's loader takes a `.wasm` file of the
/// plugin's folder): `plugin.wasm`, else the folder's only `.wasm` file.
fn wasm_beside(manifest_path: &Path, file: &str) -> Result<PathBuf> {
    let folder = match manifest_path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    if folder
        .join(crate::manifest::DEFAULT_COMPONENT_FILE)
        .is_file()
    {
        return Ok(PathBuf::from(crate::manifest::DEFAULT_COMPONENT_FILE));
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
        .map_err(|error| Error::io(file, folder, error))?
        .filter_map(|entry| entry.ok())
        .map(|entry| PathBuf::from(entry.file_name()))
        .filter(|name| name.extension().is_some_and(|ext| ext == "wasm"))
        .collect();
    found.sort();
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(Error::io(
            file,
            &folder.join(crate::manifest::DEFAULT_COMPONENT_FILE),
            io::Error::new(
                io::ErrorKind::NotFound,
                "no such file, and no other `.wasm` file beside plugin.yaml",
            ),
        )),
        _ => Err(Error::manifest(
            file,
            format!(
                "plugin.yaml names no WebAssembly file and its folder holds several ({}): name \
                 the plugin's `plugin.wasm`",
                found
                    .iter()
                    .take(8)
                    .map(|name| name.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// What to do when a plugin has no manifest at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WithoutManifest {
    /// Refuse it: the missing `plugin.toml` is the error.
    Refuse,
    /// Run the `.wasm` file (or the folder's `plugin.wasm`) under [`Manifest::bare`].
    RunBare,
}

/// Reads the manifest and the component bytes for `path`: regular files only, within their
/// caps (the manifest [`MAX_MANIFEST_BYTES`], the component the budget's
/// `max_component_bytes`), the component inside the plugin's folder unless `config` allows
/// otherwise.
pub(crate) fn read_source(
    path: &Path,
    config: &ReadRules,
    without_manifest: WithoutManifest,
) -> Result<Source> {
    let (found, text) = match read_manifest_or_missing(path)? {
        Ok(found) => found,
        Err(missing) => {
            let bare = without_manifest == WithoutManifest::RunBare
                && if path.is_dir() {
                    path.join(crate::manifest::DEFAULT_COMPONENT_FILE).is_file()
                } else {
                    !is_manifest_file_name(path)
                };
            return if bare {
                read_bare(path, config)
            } else {
                Err(missing)
            };
        }
    };
    let FoundManifest {
        path: manifest_path,
        origin: manifest_origin,
        manifest,
        unmapped,
    } = found;
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
            origin: manifest_origin,
            unmapped,
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
        origin: manifest_origin,
        unmapped,
    })
}

/// A `.wasm` file (or a folder's `plugin.wasm`) with no manifest: read within its cap, and
/// given the manifest [`Manifest::bare`] makes from its name and exports.
fn read_bare(path: &Path, config: &ReadRules) -> Result<Source> {
    let file = if path.is_dir() {
        path.join(crate::manifest::DEFAULT_COMPONENT_FILE)
    } else {
        path.to_owned()
    };
    let origin = path.display().to_string();
    let bytes = crate::files::open(&file)
        .and_then(|opened| {
            crate::files::read_capped(
                opened,
                config.max_component_bytes,
                "CompileBudget::max_component_bytes",
            )
        })
        .map_err(|error| Error::io(&origin, &file, error))?;
    let manifest = Manifest::bare(&file, &bytes)?;
    let base = file.parent().map(Path::to_owned).unwrap_or_default();
    Ok(Source {
        manifest,
        bytes,
        base,
        path: Some(file),
        manifest_file: None,
        origin: ManifestOrigin::None,
        unmapped: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "plugin: { id: yaml-plugin, version: 1.0.0, types: [auth] }\n";

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("mf-source-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_folder_without_plugin_toml_is_read_through_its_plugin_yaml() {
        let dir = scratch("yaml");
        std::fs::write(dir.join(YAML_MANIFEST_FILE), YAML).unwrap();
        std::fs::write(dir.join("auth.wasm"), b"\0asm").unwrap();
        assert_eq!(manifest_path(&dir), dir.join(YAML_MANIFEST_FILE));
        let found = find_manifest(&dir).unwrap().unwrap();
        assert_eq!(found.origin, ManifestOrigin::MockForgeYaml);
        assert_eq!(found.manifest.name, "yaml-plugin");
        assert_eq!(
            found.manifest.component().unwrap().component,
            Path::new("auth.wasm"),
            "the folder's only .wasm file"
        );
        std::fs::write(dir.join("other.wasm"), b"\0asm").unwrap();
        let err = find_manifest(&dir).unwrap_err();
        assert!(
            err.to_string().contains("several (auth.wasm, other.wasm)"),
            "{err}"
        );
        // Named by its .wasm file, the plugin takes that one.
        let found = find_manifest(&dir.join("other.wasm")).unwrap().unwrap();
        assert_eq!(
            found.manifest.component().unwrap().component,
            Path::new("other.wasm")
        );
        std::fs::write(dir.join("plugin.wasm"), b"\0asm").unwrap();
        let found = find_manifest(&dir).unwrap().unwrap();
        assert_eq!(
            found.manifest.component().unwrap().component,
            Path::new("plugin.wasm")
        );
        // plugin.toml comes first.
        std::fs::write(
            dir.join(MANIFEST_FILE),
            "name = \"toml-plugin\"\nversion = \"0.1.0\"\nkind = \"auth\"\n",
        )
        .unwrap();
        let found = find_manifest(&dir).unwrap().unwrap();
        assert_eq!(found.origin, ManifestOrigin::Toml);
        assert_eq!(found.manifest.name, "toml-plugin");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_plugin_yaml_is_read_within_the_manifest_cap() {
        let dir = scratch("yaml-cap");
        let file = dir.join(YAML_MANIFEST_FILE);
        let mut text = YAML.to_owned();
        text.push_str(&format!("# {}\n", "x".repeat(MAX_MANIFEST_BYTES as usize)));
        std::fs::write(&file, text).unwrap();
        let err = find_manifest(&dir).unwrap_err();
        assert!(matches!(err, Error::Io { .. }), "{err}");
        assert!(
            err.report().contains("MAX_MANIFEST_BYTES"),
            "{}",
            err.report()
        );
        std::fs::write(&file, [0xff, 0xfe, b'\n']).unwrap();
        let err = find_manifest(&dir).unwrap_err();
        assert!(matches!(err, Error::Io { .. }), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn no_manifest_is_none_or_the_missing_plugin_toml_said_once() {
        let dir = scratch("none");
        assert!(find_manifest(&dir).unwrap().is_none());
        let err = read_source(&dir, &ReadRules::default(), WithoutManifest::Refuse)
            .err()
            .unwrap();
        assert_eq!(
            err.report().matches("os error 2").count(),
            1,
            "{}",
            err.report()
        );
        assert!(err.to_string().contains("plugin.toml"), "{err}");
        assert!(
            err.report()
                .ends_with("(os error 2) (and no plugin.yaml beside it)"),
            "{}",
            err.report()
        );
        // No plugin.wasm either: nothing to run bare.
        let err = read_source(&dir, &ReadRules::default(), WithoutManifest::RunBare)
            .err()
            .unwrap();
        assert!(err.to_string().contains("plugin.toml"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
