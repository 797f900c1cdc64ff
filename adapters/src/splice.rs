//! Splices the glue module into the legacy module, giving wit-component one core module with
//! one memory: the legacy module's sections as they are, plus the glue's types, globals,
//! functions and exports appended after the legacy ones (so no legacy index moves).
//!
//! - The glue's imports of `legacy.*` become the legacy functions and memory they name.
//! - An AssemblyScript module's `env.abort` import is replaced in place by the bridge's
//!   `mockforge:legacy-bridge/abort` import, and every legacy use of it is redirected to the
//!   glue's `abort_adapter`, which computes the string lengths and calls the new import.
//! - The exports are the memory, `cabi_realloc`, `_initialize` (the legacy start-up function,
//!   which wit-component runs once per instance after WASI is linked) and the interface
//!   functions under wit-component's names (`<interface>#<function>`). The legacy exports are
//!   dropped: nothing outside the component calls them.

use std::collections::HashMap;

use wasm_encoder::reencode::{self, Reencode};
use wasm_encoder::{
    CodeSection, DataSection, ExportKind, ExportSection, FunctionSection, GlobalSection,
    ImportSection, Module, SectionId, TypeSection,
};
use wasmparser::{ExternalKind, Parser, Payload, TypeRef};

use crate::error::AdaptError;
use crate::glue;
use crate::go_runtime::GoHeapStart;

/// The interface the glue implements, as wit-component names its exports.
pub(crate) const JSON_INTERFACE: &str = "mockforge:legacy-bridge/json@0.1.0";
/// The interface the AssemblyScript abort adapter imports.
pub(crate) const ABORT_INTERFACE: &str = "mockforge:legacy-bridge/abort@0.1.0";

type ReencodeError = reencode::Error<AdaptError>;

/// The legacy module with the glue spliced in.
///
/// With `heap_start`, one more active data segment, after the module's own, overwrites the Go
/// runtime's `firstmoduledata.end` with the moved end (`go_runtime`), before anything runs.
pub(crate) fn splice(
    legacy: &[u8],
    glue_bytes: &[u8],
    heap_start: Option<GoHeapStart>,
) -> Result<Vec<u8>, AdaptError> {
    let legacy_shape = Shape::read(legacy)?;
    let glue_shape = Shape::read(glue_bytes)?;

    // Where the glue's functions, globals and types land in the spliced module.
    let mut functions = Vec::with_capacity(glue_shape.functions());
    for import in &glue_shape.func_imports {
        let index = match (import.module.as_str(), import.name.as_str()) {
            (glue::LEGACY, name) => legacy_shape.exported_function(name)?,
            (glue::BRIDGE, "abort") => legacy_shape.abort_import.ok_or_else(|| {
                AdaptError::Internal("the glue imports abort; the module does not".into())
            })?,
            (module, name) => {
                return Err(AdaptError::Internal(format!(
                    "the glue imports {module}.{name}"
                )))
            }
        };
        functions.push(index);
    }
    let first_glue_function = legacy_shape.functions() as u32;
    for i in 0..glue_shape.defined_functions.len() as u32 {
        functions.push(first_glue_function + i);
    }
    let glue_map = IndexMap {
        functions,
        first_global: legacy_shape.globals,
        first_type: legacy_shape.types,
        memory: legacy_shape.exported_memory("memory")?,
    };
    let abort_adapter = match glue_shape.exports.get(glue::ABORT_ADAPTER) {
        Some(&index) => Some(glue_map.functions[index as usize]),
        None => None,
    };
    let abort_type = glue_shape
        .func_imports
        .iter()
        .find(|import| import.module == glue::BRIDGE)
        .map(|import| glue_map.first_type + import.ty);

    let mut exports = vec![
        (
            "memory".to_string(),
            ExportKind::Memory,
            legacy_shape.exported_memory("memory")?,
        ),
        (
            glue::EXPORT_REALLOC.to_string(),
            ExportKind::Func,
            glue_map.functions[glue_shape.export(glue::EXPORT_REALLOC)? as usize],
        ),
    ];
    if let Some(&index) = glue_shape.exports.get(glue::ADAPTER_REALLOC) {
        exports.push((
            glue::ADAPTER_REALLOC.to_string(),
            ExportKind::Func,
            glue_map.functions[index as usize],
        ));
    }
    if let Some(start) = ["_initialize", "_start"]
        .into_iter()
        .find(|name| legacy_shape.exports.contains_key(*name))
    {
        exports.push((
            "_initialize".into(),
            ExportKind::Func,
            legacy_shape.exported_function(start)?,
        ));
    }
    for name in glue::INTERFACE_FUNCTIONS {
        exports.push((
            format!("{JSON_INTERFACE}#{name}"),
            ExportKind::Func,
            glue_map.functions[glue_shape.export(name)? as usize],
        ));
    }

    let mut splicer = Splicer {
        glue: glue_bytes,
        glue_map,
        abort_import: legacy_shape.abort_import,
        abort_adapter,
        abort_type,
        exports,
        globals_written: false,
        heap_start,
    };
    let mut module = Module::new();
    splicer
        .parse_core_module(&mut module, Parser::new(0), legacy)
        .map_err(|e| match e {
            reencode::Error::UserError(e) => e,
            other => AdaptError::Malformed(other.to_string()),
        })?;
    Ok(module.finish())
}

/// What the splice needs to know about a module before rewriting it.
#[derive(Default)]
struct Shape {
    types: u32,
    func_imports: Vec<FuncImport>,
    imported_globals: u32,
    defined_functions: Vec<u32>,
    /// Imported plus defined globals.
    globals: u32,
    exports: HashMap<String, u32>,
    memories: HashMap<String, u32>,
    /// The function index of an `env.abort` import.
    abort_import: Option<u32>,
}

struct FuncImport {
    module: String,
    name: String,
    ty: u32,
}

impl Shape {
    fn read(bytes: &[u8]) -> Result<Self, AdaptError> {
        let malformed = |e: wasmparser::BinaryReaderError| AdaptError::Malformed(e.to_string());
        let mut shape = Shape::default();
        for payload in Parser::new(0).parse_all(bytes) {
            match payload.map_err(malformed)? {
                Payload::TypeSection(section) => shape.types = section.count(),
                Payload::ImportSection(section) => {
                    for import in section.into_imports() {
                        let import = import.map_err(malformed)?;
                        match import.ty {
                            TypeRef::Func(ty) => {
                                if (import.module, import.name) == ("env", "abort") {
                                    shape.abort_import = Some(shape.func_imports.len() as u32);
                                }
                                shape.func_imports.push(FuncImport {
                                    module: import.module.into(),
                                    name: import.name.into(),
                                    ty,
                                });
                            }
                            TypeRef::Global(_) => shape.imported_globals += 1,
                            _ => {}
                        }
                    }
                }
                Payload::FunctionSection(section) => {
                    for ty in section {
                        shape.defined_functions.push(ty.map_err(malformed)?);
                    }
                }
                Payload::GlobalSection(section) => shape.globals = section.count(),
                Payload::ExportSection(section) => {
                    for export in section {
                        let export = export.map_err(malformed)?;
                        match export.kind {
                            ExternalKind::Func => {
                                shape.exports.insert(export.name.into(), export.index);
                            }
                            ExternalKind::Memory => {
                                shape.memories.insert(export.name.into(), export.index);
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        shape.globals += shape.imported_globals;
        Ok(shape)
    }

    fn functions(&self) -> usize {
        self.func_imports.len() + self.defined_functions.len()
    }

    fn exported_function(&self, name: &str) -> Result<u32, AdaptError> {
        self.exports
            .get(name)
            .copied()
            .ok_or_else(|| AdaptError::Internal(format!("no exported function `{name}`")))
    }

    fn exported_memory(&self, name: &str) -> Result<u32, AdaptError> {
        self.memories
            .get(name)
            .copied()
            .ok_or_else(|| AdaptError::Internal(format!("no exported memory `{name}`")))
    }

    fn export(&self, name: &str) -> Result<u32, AdaptError> {
        self.exported_function(name)
    }
}

/// Where the glue's indices land in the spliced module.
struct IndexMap {
    /// Glue function index to spliced function index.
    functions: Vec<u32>,
    first_global: u32,
    first_type: u32,
    memory: u32,
}

/// Rewrites the glue's function bodies into the spliced module's index spaces.
struct GlueReencoder<'a>(&'a IndexMap);

impl Reencode for GlueReencoder<'_> {
    type Error = AdaptError;

    fn function_index(&mut self, func: u32) -> Result<u32, ReencodeError> {
        self.0
            .functions
            .get(func as usize)
            .copied()
            .ok_or_else(|| reencode::Error::UserError(AdaptError::Internal("glue index".into())))
    }

    fn global_index(&mut self, global: u32) -> Result<u32, ReencodeError> {
        Ok(self.0.first_global + global)
    }

    fn type_index(&mut self, ty: u32) -> Result<u32, ReencodeError> {
        Ok(self.0.first_type + ty)
    }

    fn memory_index(&mut self, _memory: u32) -> Result<u32, ReencodeError> {
        Ok(self.0.memory)
    }
}

/// Rewrites the legacy module, appending the glue.
struct Splicer<'a> {
    glue: &'a [u8],
    glue_map: IndexMap,
    abort_import: Option<u32>,
    abort_adapter: Option<u32>,
    abort_type: Option<u32>,
    exports: Vec<(String, ExportKind, u32)>,
    globals_written: bool,
    /// Where the Go runtime's heap start is moved to, if it is.
    heap_start: Option<GoHeapStart>,
}

impl Splicer<'_> {
    /// The glue's sections of one kind, rewritten.
    fn glue_payloads(&self) -> impl Iterator<Item = Payload<'_>> {
        Parser::new(0)
            .parse_all(self.glue)
            .map(|payload| payload.expect("the glue was parsed before"))
    }

    fn append_glue_globals(&mut self, globals: &mut GlobalSection) -> Result<(), ReencodeError> {
        self.globals_written = true;
        let mut reencoder = GlueReencoder(&self.glue_map);
        for payload in self.glue_payloads() {
            if let Payload::GlobalSection(section) = payload {
                for global in section {
                    reencoder.parse_global(globals, global?)?;
                }
            }
        }
        Ok(())
    }
}

/// The position of a section in a module, for inserting a missing global section.
fn order(id: SectionId) -> u8 {
    match id {
        SectionId::Type => 1,
        SectionId::Import => 2,
        SectionId::Function => 3,
        SectionId::Table => 4,
        SectionId::Memory => 5,
        SectionId::Tag => 6,
        SectionId::Global => 7,
        SectionId::Export => 8,
        SectionId::Start => 9,
        SectionId::Element => 10,
        SectionId::DataCount => 11,
        SectionId::Code => 12,
        SectionId::Data => 13,
        _ => 0,
    }
}

impl Reencode for Splicer<'_> {
    type Error = AdaptError;

    fn function_index(&mut self, func: u32) -> Result<u32, ReencodeError> {
        match (self.abort_import, self.abort_adapter) {
            (Some(abort), Some(adapter)) if func == abort => Ok(adapter),
            _ => Ok(func),
        }
    }

    fn parse_type_section(
        &mut self,
        types: &mut TypeSection,
        section: wasmparser::TypeSectionReader<'_>,
    ) -> Result<(), ReencodeError> {
        reencode::utils::parse_type_section(self, types, section)?;
        let mut reencoder = GlueReencoder(&self.glue_map);
        for payload in self.glue_payloads() {
            if let Payload::TypeSection(section) = payload {
                reencoder.parse_type_section(types, section)?;
            }
        }
        Ok(())
    }

    fn parse_import_section(
        &mut self,
        imports: &mut ImportSection,
        section: wasmparser::ImportSectionReader<'_>,
    ) -> Result<(), ReencodeError> {
        let mut function = 0;
        for import in section.into_imports() {
            let import = import?;
            if let TypeRef::Func(_) = import.ty {
                if Some(function) == self.abort_import {
                    let ty = self.abort_type.ok_or_else(|| {
                        reencode::Error::UserError(AdaptError::Internal(
                            "no abort type in the glue".into(),
                        ))
                    })?;
                    imports.import(
                        ABORT_INTERFACE,
                        "abort",
                        wasm_encoder::EntityType::Function(ty),
                    );
                    function += 1;
                    continue;
                }
                function += 1;
            }
            let ty = self.entity_type(import.ty)?;
            imports.import(import.module, import.name, ty);
        }
        Ok(())
    }

    fn parse_function_section(
        &mut self,
        functions: &mut FunctionSection,
        section: wasmparser::FunctionSectionReader<'_>,
    ) -> Result<(), ReencodeError> {
        for ty in section {
            functions.function(ty?);
        }
        let mut reencoder = GlueReencoder(&self.glue_map);
        for payload in self.glue_payloads() {
            if let Payload::FunctionSection(section) = payload {
                for ty in section {
                    functions.function(reencoder.type_index(ty?)?);
                }
            }
        }
        Ok(())
    }

    fn parse_global_section(
        &mut self,
        globals: &mut GlobalSection,
        section: wasmparser::GlobalSectionReader<'_>,
    ) -> Result<(), ReencodeError> {
        for global in section {
            self.parse_global(globals, global?)?;
        }
        self.append_glue_globals(globals)
    }

    fn intersperse_section_hook(
        &mut self,
        module: &mut Module,
        _after: Option<SectionId>,
        before: Option<SectionId>,
    ) -> Result<(), ReencodeError> {
        // A module without globals of its own still needs the glue's.
        let global = order(SectionId::Global);
        if !self.globals_written && before.is_none_or(|id| order(id) > global) {
            let mut globals = GlobalSection::new();
            self.append_glue_globals(&mut globals)?;
            module.section(&globals);
        }
        Ok(())
    }

    fn parse_export_section(
        &mut self,
        exports: &mut ExportSection,
        _section: wasmparser::ExportSectionReader<'_>,
    ) -> Result<(), ReencodeError> {
        for (name, kind, index) in &self.exports {
            exports.export(name, *kind, *index);
        }
        Ok(())
    }

    fn parse_code_section(
        &mut self,
        code: &mut CodeSection,
        section: wasmparser::CodeSectionReader<'_>,
    ) -> Result<(), ReencodeError> {
        for body in section {
            self.parse_function_body(code, body?)?;
        }
        let mut reencoder = GlueReencoder(&self.glue_map);
        for payload in self.glue_payloads() {
            if let Payload::CodeSectionEntry(body) = payload {
                reencoder.parse_function_body(code, body)?;
            }
        }
        Ok(())
    }

    fn parse_data_section(
        &mut self,
        data: &mut DataSection,
        section: wasmparser::DataSectionReader<'_>,
    ) -> Result<(), ReencodeError> {
        for segment in section {
            self.parse_data(data, segment?)?;
        }
        if let Some(heap) = self.heap_start {
            // Go's `end` is a 64-bit word; the moved value fits its low half.
            let moved = u64::from(heap.moved_end).to_le_bytes();
            let offset = wasm_encoder::ConstExpr::i32_const(heap.field as i32);
            data.active(self.glue_map.memory, &offset, moved);
        }
        Ok(())
    }

    fn data_count(&mut self, count: u32) -> Result<u32, ReencodeError> {
        Ok(count + u32::from(self.heap_start.is_some()))
    }

    fn parse_custom_section(
        &mut self,
        module: &mut Module,
        section: wasmparser::CustomSectionReader<'_>,
    ) -> Result<(), ReencodeError> {
        // A legacy module carries no component metadata we could honour.
        if section.name().starts_with("component-type") {
            return Ok(());
        }
        reencode::utils::parse_custom_section(self, module, section)
    }
}
