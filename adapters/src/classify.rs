//! Which legacy convention a core module follows, read from its exports and imports before
//! anything is generated.

use std::fmt;

use serde::Serialize;
use wasmparser::{ExternalKind, Parser, Payload, TypeRef, ValType};

use crate::error::AdaptError;

/// What the adapters make of a binary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "type")]
pub enum Classification {
    /// Already a component: passed through untouched.
    Component,
    /// A legacy core module the adapters can wrap.
    Legacy(Legacy),
}

/// A legacy plugin module, as classified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Legacy {
    /// The calling convention.
    pub family: Family,
    /// The allocator the canonical ABI calls as `realloc` and frees with after a call.
    pub allocator: Allocator,
    /// How the entry point returns its JSON.
    pub result: ResultShape,
    /// The start-up export run once per instance, when the module has one.
    pub start: Option<String>,
    /// Every import, as `module.name`.
    pub imports: Vec<String>,
    /// Every export.
    pub exports: Vec<String>,
}

/// The legacy calling conventions (`../shared/LEGACY_ABI.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// The JSON host convention: `authenticate(ptr, len)` returning a pointer and a length.
    J,
    /// The Go SDK convention: `plugin_auth_authenticate(ctx_ptr, ctx_len, creds_ptr, creds_len)`
    /// returning a pointer only.
    G,
    /// AssemblyScript: family J's names, managed objects that carry their own length.
    A,
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::J => "J (JSON host convention)",
            Self::G => "G (Go SDK convention)",
            Self::A => "A (AssemblyScript)",
        })
    }
}

/// A legacy module's allocator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Allocator {
    /// `alloc(len) -> ptr`, optionally `dealloc(ptr, len)` (Rust-built plugins).
    AllocDealloc {
        /// Whether `dealloc` is exported; without it buffers stay allocated.
        dealloc: bool,
    },
    /// `malloc(len) -> ptr`, optionally `free(ptr)` (TinyGo-built plugins).
    MallocFree {
        /// Whether `free` is exported.
        free: bool,
    },
    /// AssemblyScript's `__new(size, class_id)` then `__pin(ptr)`, released with `__unpin`.
    AssemblyScript,
}

impl fmt::Display for Allocator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AllocDealloc { dealloc: true } => f.write_str("alloc/dealloc"),
            Self::AllocDealloc { dealloc: false } => f.write_str("alloc (no dealloc)"),
            Self::MallocFree { free: true } => f.write_str("malloc/free"),
            Self::MallocFree { free: false } => f.write_str("malloc (no free)"),
            Self::AssemblyScript => f.write_str("__new/__pin/__unpin"),
        }
    }
}

/// How an entry point returns its JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResultShape {
    /// One `i64`: `(ptr << 32) | len`.
    PackedI64,
    /// Two values `(ptr, len)` (multi-value).
    Pair,
}

/// A core function signature, for matching and for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Signature {
    pub(crate) params: Vec<ValType>,
    pub(crate) results: Vec<ValType>,
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |types: &[ValType]| {
            types
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        write!(f, "({}) -> ({})", list(&self.params), list(&self.results))
    }
}

/// A core module's exports with the signatures of exported functions, and its imports.
pub(crate) struct ModuleShape {
    pub(crate) exports: Vec<(String, Option<Signature>, ExternalKind)>,
    pub(crate) imports: Vec<String>,
}

impl ModuleShape {
    pub(crate) fn read(bytes: &[u8]) -> Result<Self, AdaptError> {
        let malformed = |e: wasmparser::BinaryReaderError| AdaptError::Malformed(e.to_string());
        let mut types = Vec::new();
        let mut funcs = Vec::new();
        let mut imports = Vec::new();
        let mut raw_exports = Vec::new();
        for payload in Parser::new(0).parse_all(bytes) {
            match payload.map_err(malformed)? {
                Payload::TypeSection(section) => {
                    for ty in section.into_iter_err_on_gc_types() {
                        let ty = ty.map_err(malformed)?;
                        types.push(Signature {
                            params: ty.params().to_vec(),
                            results: ty.results().to_vec(),
                        });
                    }
                }
                Payload::ImportSection(section) => {
                    for import in section.into_imports() {
                        let import = import.map_err(malformed)?;
                        if let TypeRef::Func(ty) = import.ty {
                            funcs.push(ty);
                        }
                        imports.push(format!("{}.{}", import.module, import.name));
                    }
                }
                Payload::FunctionSection(section) => {
                    for ty in section {
                        funcs.push(ty.map_err(malformed)?);
                    }
                }
                Payload::ExportSection(section) => {
                    for export in section {
                        let export = export.map_err(malformed)?;
                        raw_exports.push((export.name.to_owned(), export.kind, export.index));
                    }
                }
                _ => {}
            }
        }
        let exports = raw_exports
            .into_iter()
            .map(|(name, kind, index)| {
                let signature = match kind {
                    ExternalKind::Func => funcs
                        .get(index as usize)
                        .and_then(|ty| types.get(*ty as usize))
                        .cloned(),
                    _ => None,
                };
                (name, signature, kind)
            })
            .collect();
        Ok(Self { exports, imports })
    }

    pub(crate) fn func(&self, name: &str) -> Option<&Signature> {
        self.exports
            .iter()
            .find(|(export, _, kind)| export == name && *kind == ExternalKind::Func)
            .and_then(|(_, signature, _)| signature.as_ref())
    }

    fn has_memory(&self, name: &str) -> bool {
        self.exports
            .iter()
            .any(|(export, _, kind)| export == name && *kind == ExternalKind::Memory)
    }

    pub(crate) fn export_names(&self) -> Vec<String> {
        self.exports.iter().map(|(name, ..)| name.clone()).collect()
    }
}

const I32: ValType = ValType::I32;

/// Classifies `bytes`: a component, or a legacy module with its family and allocator.
pub fn classify(bytes: &[u8]) -> Result<Classification, AdaptError> {
    if Parser::is_component(bytes) {
        return Ok(Classification::Component);
    }
    if !Parser::is_core_wasm(bytes) {
        return Err(AdaptError::NotWasm);
    }
    let shape = ModuleShape::read(bytes)?;
    let exports = shape.export_names();
    let imports = shape.imports.clone();
    let unrecognized = || AdaptError::Unrecognized {
        exports: exports.clone(),
        imports: imports.clone(),
    };

    let (family, entry) = if shape.func("plugin_auth_authenticate").is_some() {
        (Family::G, "plugin_auth_authenticate")
    } else if shape.func("authenticate").is_some() {
        (Family::J, "authenticate")
    } else if shape.func("generate_response").is_some() {
        return Err(AdaptError::Unsupported {
            what: "response plugins (`generate_response`)".into(),
        });
    } else {
        return Err(unrecognized());
    };
    if !shape.has_memory("memory") {
        return Err(AdaptError::MissingExport {
            family,
            export: "memory".into(),
            exports,
        });
    }
    let allocator = allocator(&shape).ok_or_else(|| AdaptError::MissingExport {
        family,
        export: "an allocator (`alloc`, `malloc` or `__new` with `__pin`)".into(),
        exports: exports.clone(),
    })?;
    let signature = shape.func(entry).expect("checked above");
    let (family, result) = match family {
        Family::G => {
            return Err(AdaptError::Unsupported {
                what: "Go SDK (family G) modules".into(),
            })
        }
        Family::J if signature.params == [I32, I32] && signature.results == [ValType::I64] => {
            (Family::J, ResultShape::PackedI64)
        }
        Family::J if signature.params == [I32, I32] && signature.results == [I32, I32] => {
            (Family::J, ResultShape::Pair)
        }
        _ => {
            return Err(AdaptError::Signature {
                export: entry.into(),
                found: signature.to_string(),
                expected: "(i32, i32) -> (i64) or (i32, i32) -> (i32, i32)".into(),
            })
        }
    };
    let start = ["_initialize", "_start"]
        .into_iter()
        .find(|name| {
            shape
                .func(name)
                .is_some_and(|s| s.params.is_empty() && s.results.is_empty())
        })
        .map(str::to_owned);
    Ok(Classification::Legacy(Legacy {
        family,
        allocator,
        result,
        start,
        imports,
        exports,
    }))
}

fn allocator(shape: &ModuleShape) -> Option<Allocator> {
    let is = |name: &str, params: &[ValType], results: &[ValType]| {
        shape
            .func(name)
            .is_some_and(|s| s.params == params && s.results == results)
    };
    if is("alloc", &[I32], &[I32]) {
        Some(Allocator::AllocDealloc {
            dealloc: is("dealloc", &[I32, I32], &[]),
        })
    } else if is("malloc", &[I32], &[I32]) {
        Some(Allocator::MallocFree {
            free: is("free", &[I32], &[]),
        })
    } else if is("__new", &[I32, I32], &[I32]) && is("__pin", &[I32], &[I32]) {
        Some(Allocator::AssemblyScript)
    } else {
        None
    }
}
