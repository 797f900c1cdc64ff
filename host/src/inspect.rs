//! Tells what a binary is before anything is compiled: not WebAssembly, a core module (a legacy
//! plugin), or a component with its imports and exports.

use serde::Serialize;
use wasmparser::{Parser, Payload};

/// What a binary is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "type")]
pub enum BinaryKind {
    /// Not WebAssembly.
    NotWasm {
        /// What the first bytes look like.
        detail: String,
    },
    /// A core WebAssembly module.
    CoreModule {
        /// Its imports as `module.name`.
        imports: Vec<String>,
        /// Its export names.
        exports: Vec<String>,
    },
    /// A component.
    Component {
        /// Its top-level import names.
        imports: Vec<String>,
        /// Its top-level export names.
        exports: Vec<String>,
    },
}

/// Reads what `bytes` are. A malformed section is reported in the error string.
pub fn inspect(bytes: &[u8]) -> Result<BinaryKind, String> {
    if Parser::is_component(bytes) {
        let (imports, exports) = component_names(bytes).map_err(|e| e.to_string())?;
        Ok(BinaryKind::Component { imports, exports })
    } else if Parser::is_core_wasm(bytes) {
        let (imports, exports) = module_names(bytes).map_err(|e| e.to_string())?;
        Ok(BinaryKind::CoreModule { imports, exports })
    } else {
        Ok(BinaryKind::NotWasm {
            detail: describe_non_wasm(bytes),
        })
    }
}

fn describe_non_wasm(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "the file is empty".into();
    }
    if bytes.starts_with(b"\0asm") {
        return "a WebAssembly header of an unknown version".into();
    }
    if bytes.starts_with(b"(module") || bytes.starts_with(b"(component") {
        return "WebAssembly text; compile it with `wasm-tools parse` first".into();
    }
    // What the file holds is not repeated: the error may reach a log the file's reader
    // should not (a manifest pointing at a secret, say). Only well-known kinds are named.
    if bytes.starts_with(b"\x7fELF") {
        return "a native ELF binary, not the `\\0asm` magic number".into();
    }
    if bytes.starts_with(b"#!") {
        return "a script, not the `\\0asm` magic number".into();
    }
    "it does not start with the `\\0asm` magic number".into()
}

/// The top-level import and export names of a component. Nested modules and components are
/// skipped: only depth one names what the component offers and needs.
fn component_names(bytes: &[u8]) -> wasmparser::Result<(Vec<String>, Vec<String>)> {
    let mut imports = Vec::new();
    let mut exports = Vec::new();
    let mut depth = 0usize;
    for payload in Parser::new(0).parse_all(bytes) {
        match payload? {
            Payload::Version { .. } => depth += 1,
            Payload::End(_) => depth -= 1,
            Payload::ComponentImportSection(section) if depth == 1 => {
                for import in section {
                    imports.push(import?.name.name.to_owned());
                }
            }
            Payload::ComponentExportSection(section) if depth == 1 => {
                for export in section {
                    exports.push(export?.name.name.to_owned());
                }
            }
            _ => {}
        }
    }
    Ok((imports, exports))
}

fn module_names(bytes: &[u8]) -> wasmparser::Result<(Vec<String>, Vec<String>)> {
    let mut imports = Vec::new();
    let mut exports = Vec::new();
    for payload in Parser::new(0).parse_all(bytes) {
        match payload? {
            Payload::ImportSection(section) => {
                for import in section.into_imports() {
                    let import = import?;
                    imports.push(format!("{}.{}", import.module, import.name));
                }
            }
            Payload::ExportSection(section) => {
                for export in section {
                    exports.push(export?.name.to_owned());
                }
            }
            _ => {}
        }
    }
    Ok((imports, exports))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_apart_text_modules_and_components() {
        assert!(matches!(inspect(b"").unwrap(), BinaryKind::NotWasm { .. }));
        let text = inspect(b"(module)").unwrap();
        assert!(matches!(text, BinaryKind::NotWasm { ref detail } if detail.contains("text")));
        let elf = inspect(b"\x7fELF\x02\x01\x01\0").unwrap();
        assert!(matches!(elf, BinaryKind::NotWasm { ref detail } if detail.contains("ELF")));

        let module = wat::parse_str(
            r#"(module (import "env" "abort" (func)) (memory (export "memory") 1)
                 (func (export "alloc") (param i32) (result i32) i32.const 0))"#,
        )
        .unwrap();
        assert_eq!(
            inspect(&module).unwrap(),
            BinaryKind::CoreModule {
                imports: vec!["env.abort".into()],
                exports: vec!["memory".into(), "alloc".into()],
            }
        );

        let component = wat::parse_str(
            r#"(component
                 (import "mockforge:plugin/log@0.1.0" (instance))
                 (component $inner (import "nested" (func)))
                 (instance $i)
                 (export "mockforge:plugin/auth@0.1.0" (instance $i)))"#,
        )
        .unwrap();
        let BinaryKind::Component { imports, exports } = inspect(&component).unwrap() else {
            panic!("not read as a component");
        };
        assert_eq!(imports, vec!["mockforge:plugin/log@0.1.0".to_string()]);
        assert_eq!(exports, vec!["mockforge:plugin/auth@0.1.0".to_string()]);
    }
}
