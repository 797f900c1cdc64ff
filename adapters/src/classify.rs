//! Which legacy convention a core module follows, read from its exports and imports before
//! anything is generated.

use std::fmt;

use serde::Serialize;
use wasmparser::{ExternalKind, Parser, Payload, TypeRef, ValType};

use crate::error::AdaptError;
use crate::go_runtime::{self, GoHeapStart};

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
    /// The auth entry point (`authenticate`, or `plugin_auth_authenticate` for family G), when
    /// the module has one.
    pub auth: Option<EntryPoint>,
    /// The response entry point (`generate_response`, in the JSON host convention for
    /// families J and G, managed strings for A), when the module has one.
    pub response: Option<EntryPoint>,
    /// The start-up export run once per instance, when the module has one.
    pub start: Option<String>,
    /// Whether the module imports AssemblyScript's `env.abort`.
    pub imports_abort: bool,
    /// Where the WASI adapter keeps its state and stack, and with it whether warm instances
    /// of the module are sound.
    pub adapter_memory: AdapterMemory,
    /// Every import, as `module.name`.
    pub imports: Vec<String>,
    /// Every export.
    pub exports: Vec<String>,
}

/// An entry point export and how it answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryPoint {
    /// The export's name.
    pub name: String,
    /// How it returns its JSON.
    pub result: ResultShape,
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

/// Where the WASI preview 1 adapter keeps its state and stack (about two 64 KiB pages) in
/// the legacy module's memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum AdapterMemory {
    /// An arena the module reserved among its globals (the Go SDK's `wasiArena`).
    ModuleArena(WasiArena),
    /// A standard Go module without an arena: the adapters move the Go runtime's heap start
    /// (`firstmoduledata.end`) up before the runtime starts and give the memory below it to
    /// the adapter.
    BelowGoHeap(GoHeapStart),
    /// Pages grown with `memory.grow` when the adapter first needs them. Sound for runtimes
    /// that grow memory for themselves and use what `memory.grow` returned (Rust's and
    /// AssemblyScript's allocators); not for a Go runtime (Go's or TinyGo's), whose heap
    /// claims pages grown by someone else once it grows past them.
    Grown,
}

impl AdapterMemory {
    /// The arena the adapter allocates from, unless its pages are grown.
    pub fn arena(&self) -> Option<WasiArena> {
        match self {
            Self::ModuleArena(arena) => Some(*arena),
            Self::BelowGoHeap(heap) => Some(heap.arena()),
            Self::Grown => None,
        }
    }
}

impl fmt::Display for AdapterMemory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ModuleArena(arena) => write!(
                f,
                "the module's own arena {:#x}..{:#x}",
                arena.start, arena.end
            ),
            Self::BelowGoHeap(heap) => write!(
                f,
                "{:#x}..{:#x}, reserved below Go's heap (runtime end moved from {:#x} to {:#x}, \
                 the word at {:#x})",
                heap.linked_end, heap.moved_end, heap.linked_end, heap.moved_end, heap.field
            ),
            Self::Grown => f.write_str("pages grown on first use"),
        }
    }
}

/// Which instances a legacy module can be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WarmInstances {
    /// Warm instances are sound and the default: Go's runtime takes ~0.5 ms to start (about
    /// twenty warm calls).
    Preferred,
    /// Warm instances are sound, fresh ones the default: the module starts in microseconds
    /// and a fresh instance shares nothing between requests. A manifest may choose either.
    Allowed,
    /// Warm instances are not sound (a Go runtime whose heap would claim the WASI adapter's
    /// grown pages): every call gets a fresh instance, whatever the manifest asks.
    Unsound,
}

impl fmt::Display for WarmInstances {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Preferred => "warm instances (the default for a Go runtime, sound)",
            Self::Allowed => "a fresh instance per call by default; warm instances allowed",
            Self::Unsound => {
                "a fresh instance per call, always: its Go heap would overwrite the WASI \
                 adapter's pages in a warm instance (rebuild it with the Go SDK, whose arena \
                 makes warm instances sound)"
            }
        })
    }
}

impl Legacy {
    /// Which instances this module can be given: the rule every host of adapted plugins
    /// follows.
    pub fn warm_instances(&self) -> WarmInstances {
        match (self.family, self.adapter_memory) {
            // Family G is the Go SDK's convention: some Go runtime is behind it.
            (Family::G, AdapterMemory::Grown) => WarmInstances::Unsound,
            (_, AdapterMemory::ModuleArena(_) | AdapterMemory::BelowGoHeap(_)) => {
                WarmInstances::Preferred
            }
            (Family::J | Family::A, AdapterMemory::Grown) => WarmInstances::Allowed,
        }
    }
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

impl fmt::Display for EntryPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shape = match self.result {
            ResultShape::PackedI64 => "answers (ptr << 32) | len",
            ResultShape::Pair => "answers (ptr, len)",
            ResultShape::Pointer => "answers a pointer to one JSON value",
            ResultShape::ManagedString => "managed strings in and out",
        };
        write!(f, "`{}` ({shape})", self.name)
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
    /// A pointer to one JSON value, without length or terminator (family G).
    Pointer,
    /// A pointer to a managed AssemblyScript string, which carries its length (family A).
    ManagedString,
}

/// A region of legacy memory that the module's own allocator never hands out, where the WASI
/// preview 1 adapter keeps its state and stack. A Go runtime takes every address above its
/// data for its heap, so memory grown for the adapter would end up overwritten; a module built
/// with our Go SDK reserves this arena among its globals instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WasiArena {
    /// The arena's first usable byte (after its header).
    pub start: u32,
    /// The byte after its last.
    pub end: u32,
}

/// What a module's arena starts with (then its size as a little-endian u32 and 4 spare bytes).
const WASI_ARENA_MAGIC: &[u8] = b"mockforge:wasi-arena:v1\0";
const WASI_ARENA_HEADER: u32 = 32;

/// The import module of WASI preview 1, which adapted plugins link to WASI 0.2.
pub const WASI_PREVIEW1: &str = "wasi_snapshot_preview1";

/// What a legacy module may import: adapted plugins provide these.
pub const PROVIDED_IMPORTS: &str =
    "WASI preview 1 (`wasi_snapshot_preview1.*`, through WASI 0.2) and AssemblyScript's `env.abort`";

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
    /// Function imports with their signatures.
    pub(crate) func_imports: Vec<(String, Signature)>,
    /// Imports that are not functions (memories, tables, globals, tags).
    pub(crate) other_imports: Vec<String>,
    /// The Go SDK's arena for the WASI adapter, found in the data segments.
    pub(crate) wasi_arena: Option<WasiArena>,
}

impl ModuleShape {
    pub(crate) fn read(bytes: &[u8]) -> Result<Self, AdaptError> {
        let malformed = |e: wasmparser::BinaryReaderError| AdaptError::Malformed(e.to_string());
        let mut types = Vec::new();
        let mut funcs = Vec::new();
        let mut imports = Vec::new();
        let mut raw_exports = Vec::new();
        let mut func_imports = Vec::new();
        let mut other_imports = Vec::new();
        let mut wasi_arena = None;
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
                        let name = format!("{}.{}", import.module, import.name);
                        if let TypeRef::Func(ty) = import.ty {
                            funcs.push(ty);
                            func_imports.push((name.clone(), ty));
                        } else {
                            other_imports.push(name.clone());
                        }
                        imports.push(name);
                    }
                }
                Payload::FunctionSection(section) => {
                    for ty in section {
                        funcs.push(ty.map_err(malformed)?);
                    }
                }
                Payload::DataSection(section) => {
                    for data in section {
                        let data = data.map_err(malformed)?;
                        if wasi_arena.is_none() {
                            wasi_arena = find_wasi_arena(&data);
                        }
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
        let func_imports = func_imports
            .into_iter()
            .map(|(name, ty)| {
                let signature = types.get(ty as usize).cloned().unwrap_or(Signature {
                    params: Vec::new(),
                    results: Vec::new(),
                });
                (name, signature)
            })
            .collect();
        Ok(Self {
            exports,
            imports,
            func_imports,
            other_imports,
            wasi_arena,
        })
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

    let auth_name = ["plugin_auth_authenticate", "authenticate"]
        .into_iter()
        .find(|name| shape.func(name).is_some());
    let response_name = Some("generate_response").filter(|name| shape.func(name).is_some());
    let family = match (auth_name, response_name) {
        (Some("plugin_auth_authenticate"), _) => Family::G,
        (Some(_), _) | (None, Some(_)) => Family::J,
        (None, None) => return Err(unrecognized()),
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
        export: "an allocator (`alloc`, `malloc` or `__new` with `__pin` and `__unpin`)".into(),
        exports: exports.clone(),
    })?;
    let entry_point = |name: &str| -> Result<EntryPoint, AdaptError> {
        let signature = shape.func(name).expect("found above");
        let result = if name == "plugin_auth_authenticate" {
            (signature.params == [I32; 4] && signature.results == [I32])
                .then_some(ResultShape::Pointer)
                .ok_or_else(|| AdaptError::Signature {
                    export: name.into(),
                    found: signature.to_string(),
                    expected: "(i32, i32, i32, i32) -> (i32)".into(),
                })?
        } else {
            json_entry_shape(signature, allocator).ok_or_else(|| AdaptError::Signature {
                export: name.into(),
                found: signature.to_string(),
                expected: match allocator {
                    Allocator::AssemblyScript => {
                        "(i32) -> (i32), (i32, i32) -> (i64) or (i32, i32) -> (i32, i32)"
                    }
                    _ => "(i32, i32) -> (i64) or (i32, i32) -> (i32, i32)",
                }
                .into(),
            })?
        };
        Ok(EntryPoint {
            name: name.into(),
            result,
        })
    };
    let auth = auth_name.map(entry_point).transpose()?;
    let response = response_name.map(entry_point).transpose()?;
    // AssemblyScript's `authenticate(input: string): string`: managed strings, for every
    // entry point of the module.
    let managed = |entry: &Option<EntryPoint>| {
        entry
            .as_ref()
            .map(|entry| entry.result == ResultShape::ManagedString)
    };
    let family = match (family, managed(&auth), managed(&response)) {
        (Family::J, Some(true), None | Some(true)) | (Family::J, None, Some(true)) => Family::A,
        (Family::J, Some(true), Some(false)) | (Family::J, Some(false), Some(true)) => {
            let response = response.expect("present");
            return Err(AdaptError::Signature {
                export: response.name,
                found: shape
                    .func("generate_response")
                    .expect("present")
                    .to_string(),
                expected: "the shape of the module's `authenticate`".into(),
            });
        }
        (family, ..) => family,
    };
    let mut imports_abort = false;
    for (import, signature) in &shape.func_imports {
        match import.split_once('.') {
            Some((WASI_PREVIEW1, _)) => {}
            Some(("env", "abort"))
                if signature.params == [I32; 4] && signature.results.is_empty() =>
            {
                imports_abort = true;
            }
            _ => {
                return Err(AdaptError::UnsupportedImport {
                    import: import.clone(),
                    provided: PROVIDED_IMPORTS,
                })
            }
        }
    }
    if let Some(import) = shape.other_imports.first() {
        return Err(AdaptError::UnsupportedImport {
            import: import.clone(),
            provided: PROVIDED_IMPORTS,
        });
    }
    let start = ["_initialize", "_start"]
        .into_iter()
        .find(|name| {
            shape
                .func(name)
                .is_some_and(|s| s.params.is_empty() && s.results.is_empty())
        })
        .map(str::to_owned);
    // A standard Go runtime may sit behind any family's exports.
    let adapter_memory = match shape.wasi_arena {
        Some(arena) => AdapterMemory::ModuleArena(arena),
        None => match go_runtime::find_heap_start(bytes)? {
            Some(heap) => AdapterMemory::BelowGoHeap(heap),
            None => AdapterMemory::Grown,
        },
    };
    Ok(Classification::Legacy(Legacy {
        family,
        allocator,
        auth,
        response,
        start,
        imports_abort,
        adapter_memory,
        imports,
        exports,
    }))
}

/// The arena whose header an active data segment of memory 0 holds, if one does.
fn find_wasi_arena(data: &wasmparser::Data<'_>) -> Option<WasiArena> {
    let wasmparser::DataKind::Active {
        memory_index: 0,
        offset_expr,
    } = &data.kind
    else {
        return None;
    };
    let mut ops = offset_expr.get_operators_reader();
    let wasmparser::Operator::I32Const { value: offset } = ops.read().ok()? else {
        return None;
    };
    let at = data
        .data
        .windows(WASI_ARENA_MAGIC.len())
        .position(|window| window == WASI_ARENA_MAGIC)?;
    // A linker leaves trailing zero bytes out of a segment (memory starts zeroed).
    let mut size = [0u8; 4];
    let after = &data.data[at + WASI_ARENA_MAGIC.len()..];
    let known = after.len().min(4);
    size[..known].copy_from_slice(&after[..known]);
    let size = u32::from_le_bytes(size);
    let base = (offset as u32).checked_add(u32::try_from(at).ok()?)?;
    let end = base.checked_add(size)?;
    (size > WASI_ARENA_HEADER).then_some(WasiArena {
        start: base + WASI_ARENA_HEADER,
        end,
    })
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
    } else if is("__new", &[I32, I32], &[I32])
        && is("__pin", &[I32], &[I32])
        && is("__unpin", &[I32], &[])
    {
        Some(Allocator::AssemblyScript)
    } else {
        None
    }
}

/// How a JSON-convention entry point (`authenticate`, `generate_response`) of a module with
/// `allocator` answers, if it has one of the convention's signatures.
fn json_entry_shape(signature: &Signature, allocator: Allocator) -> Option<ResultShape> {
    match (&signature.params[..], &signature.results[..]) {
        ([I32, I32], [ValType::I64]) => Some(ResultShape::PackedI64),
        ([I32, I32], [I32, I32]) => Some(ResultShape::Pair),
        ([I32], [I32]) if allocator == Allocator::AssemblyScript => {
            Some(ResultShape::ManagedString)
        }
        _ => None,
    }
}
