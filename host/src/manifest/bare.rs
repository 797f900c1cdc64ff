//! The manifest a `.wasm` file with no manifest beside it runs under: its name from the file
//! name, its kind read from its exports, every other value at its default.

use std::path::Path;

use mockforge_component_adapters::contract::ContractVersion;
use mockforge_component_adapters::{classify, Classification};

use super::{is_plugin_name, Manifest};
use crate::error::{Error, Result};
use crate::inspect::{inspect, BinaryKind};
use crate::types::PluginKind;

impl Manifest {
    /// The manifest of the bare WebAssembly `file` (a component or a legacy core module)
    /// whose bytes are `bytes`: named after the file (after its folder for `plugin.wasm`),
    /// its kind what it exports (a component's `auth` and `responder` interfaces; what the
    /// legacy adapters classify a core module as), with default limits, no configuration
    /// and no capabilities. Bytes that are no plugin at all are refused as loading would
    /// refuse them ([`Error::NotWasm`], [`Error::CoreModule`], [`Error::WrongWorld`]).
    pub fn bare(file: &Path, bytes: &[u8]) -> Result<Self> {
        let name = bare_name(file);
        let kind = kind_from_exports(&name, bytes)?;
        let mut manifest = Self::new(name, kind);
        if let (Some(component), Some(file_name)) = (manifest.component_mut(), file.file_name()) {
            component.component = file_name.into();
        }
        Ok(manifest)
    }
}

/// A plugin name from a file name: its stem, or its folder's name for `plugin.wasm`, in
/// lower case with every other character than a letter or digit a dash; `plugin` when
/// nothing is left.
fn bare_name(file: &Path) -> String {
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let folder = || {
        file.parent()
            .and_then(Path::file_name)
            .and_then(|s| s.to_str())
            .unwrap_or("")
    };
    let source = if stem == "plugin" || stem.is_empty() {
        folder()
    } else {
        stem
    };
    let mut name = String::new();
    for c in source.chars() {
        let c = c.to_ascii_lowercase();
        let keep = if c.is_ascii_lowercase() || c.is_ascii_digit() {
            c
        } else {
            '-'
        };
        if !(keep == '-' && (name.is_empty() || name.ends_with('-'))) {
            name.push(keep);
        }
        if name.len() == 64 {
            break;
        }
    }
    let name = name.trim_end_matches('-').to_owned();
    if is_plugin_name(&name) {
        name
    } else {
        "plugin".to_owned()
    }
}

/// The kind `bytes` export.
fn kind_from_exports(name: &str, bytes: &[u8]) -> Result<PluginKind> {
    let binary = inspect(bytes).map_err(|detail| Error::InvalidComponent {
        plugin: name.to_owned(),
        message: format!("malformed: {detail}"),
        source: None,
    })?;
    match binary {
        BinaryKind::NotWasm { detail } => Err(Error::NotWasm {
            plugin: name.to_owned(),
            detail,
        }),
        BinaryKind::CoreModule { .. } => match classify(bytes) {
            // The entry points the module exports, as the adapters wrap them.
            Ok(Classification::Legacy(legacy)) => {
                Ok(match (legacy.auth.is_some(), legacy.response.is_some()) {
                    (true, true) => PluginKind::Both,
                    (false, true) => PluginKind::Response,
                    _ => PluginKind::Auth,
                })
            }
            Ok(Classification::Component) => Err(Error::CoreModule {
                plugin: name.to_owned(),
                reason: "read as a core module, then classified as a component".into(),
            }),
            Err(error) => Err(Error::CoreModule {
                plugin: name.to_owned(),
                reason: error.to_string(),
            }),
        },
        BinaryKind::Component { exports, .. } => {
            let has = |interface: &str| exports.iter().any(|e| e == interface);
            let exported = |interface: fn(ContractVersion) -> &'static str| {
                ContractVersion::ALL.iter().any(|&v| has(interface(v)))
            };
            match (
                exported(ContractVersion::auth_interface),
                exported(ContractVersion::responder_interface),
            ) {
                (true, true) => Ok(PluginKind::Both),
                (true, false) => Ok(PluginKind::Auth),
                (false, true) => Ok(PluginKind::Response),
                (false, false) => Err(Error::WrongWorld {
                    plugin: name.to_owned(),
                    kind: PluginKind::Both,
                    expected: ContractVersion::ALL
                        .iter()
                        .flat_map(|v| [v.auth_interface(), v.responder_interface()])
                        .map(str::to_owned)
                        .collect(),
                    found: exports,
                    detail: "no manifest: a bare component's kind is read from its exports, \
                             and it exports neither interface"
                        .into(),
                }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_name_comes_from_the_file_or_its_folder() {
        assert_eq!(
            bare_name(Path::new("/x/auth-trivial/plugin.wasm")),
            "auth-trivial"
        );
        assert_eq!(
            bare_name(Path::new("/x/y/My_Auth.Plugin.wasm")),
            "my-auth-plugin"
        );
        assert_eq!(bare_name(Path::new("plugin.wasm")), "plugin");
        assert_eq!(bare_name(Path::new("/x/__/--.wasm")), "plugin");
        assert_eq!(
            bare_name(Path::new(&format!("/{}.wasm", "a".repeat(100)))).len(),
            64
        );
    }

    #[test]
    fn a_bare_kind_is_read_from_the_exports() {
        let component = |export: &str| {
            wat::parse_str(format!(
                r#"(component
                     (core module $m)
                     (core instance $i (instantiate $m))
                     (instance $e)
                     (export "{export}" (instance $e)))"#
            ))
            .unwrap()
        };
        let kind = |bytes: &[u8]| Manifest::bare(Path::new("x.wasm"), bytes).map(|m| m.kind);
        assert_eq!(
            kind(&component("mockforge:plugin/auth@0.2.0")).unwrap(),
            PluginKind::Auth
        );
        assert_eq!(
            kind(&component("mockforge:plugin/responder@0.1.0")).unwrap(),
            PluginKind::Response
        );
        let err = kind(&component("wasi:http/handler@0.2.0")).unwrap_err();
        assert!(matches!(err, Error::WrongWorld { .. }), "{err}");
        assert!(err.to_string().contains("wasi:http/handler"), "{err}");
        let err = kind(b"#!/bin/sh\n").unwrap_err();
        assert!(matches!(err, Error::NotWasm { .. }), "{err}");
        let legacy = |entries: &str| {
            wat::parse_str(format!(
                r#"(module (memory (export "memory") 1)
                     (func (export "alloc") (param i32) (result i32) i32.const 16)
                     {entries})"#
            ))
            .unwrap()
        };
        let entry = |name: &str| {
            format!(r#"(func (export "{name}") (param i32 i32) (result i64) i64.const 0)"#)
        };
        assert_eq!(
            kind(&legacy(&entry("authenticate"))).unwrap(),
            PluginKind::Auth
        );
        assert_eq!(
            kind(&legacy(&entry("generate_response"))).unwrap(),
            PluginKind::Response
        );
        assert_eq!(
            kind(&legacy(
                &(entry("authenticate") + &entry("generate_response"))
            ))
            .unwrap(),
            PluginKind::Both
        );
        let module = wat::parse_str(r#"(module (func (export "run")))"#).unwrap();
        let err = kind(&module).unwrap_err();
        assert!(matches!(err, Error::CoreModule { .. }), "{err}");
        let manifest = Manifest::bare(
            Path::new("/a/b/plugin.wasm"),
            &component("mockforge:plugin/auth@0.2.0"),
        )
        .unwrap();
        assert_eq!(manifest.name, "b");
        let component = manifest.component().unwrap();
        assert_eq!(component.component, Path::new("plugin.wasm"));
        assert_eq!(component.limits, Default::default());
    }
}
