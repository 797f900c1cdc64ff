//! The bridge component: the legacy module and its glue, instantiated together, with the
//! glue's entry point lifted by the canonical ABI as `mockforge:legacy-bridge/json`. The lift
//! names the legacy module's memory and the glue's `realloc`, so the request string is written
//! into legacy memory by the legacy allocator and the answer is read (bounds-checked and
//! validated as UTF-8) straight out of it.

use wasm_encoder::{
    Alias, CanonicalFunctionSection, CanonicalOption, Component, ComponentAliasSection,
    ComponentExportKind, ComponentExportSection, ComponentInstanceSection, ComponentSectionId,
    ComponentTypeSection, ExportKind, InstanceSection, ModuleArg, PrimitiveValType, RawSection,
};

use crate::glue;

/// The bridge interface the translator imports (`wit/legacy/bridge.wit`).
pub(crate) const BRIDGE_INTERFACE: &str = "mockforge:legacy-bridge/json@0.1.0";

/// The bridge component around `legacy` (a core module) and its `glue` module.
pub(crate) fn component(legacy: &[u8], glue: &[u8]) -> Vec<u8> {
    let mut component = Component::new();
    // Core modules 0 (legacy) and 1 (glue).
    for module in [legacy, glue] {
        component.section(&RawSection {
            id: ComponentSectionId::CoreModule.into(),
            data: module,
        });
    }
    // Core instances 0 (legacy) and 1 (glue, importing the legacy instance's exports).
    let mut instances = InstanceSection::new();
    instances.instantiate(0, Vec::<(&str, ModuleArg)>::new());
    instances.instantiate(1, [(glue::LEGACY, ModuleArg::Instance(0))]);
    component.section(&instances);

    // Core memory 0, core functions 0 (realloc), 1 (entry point), 2 (post-return).
    let mut aliases = ComponentAliasSection::new();
    aliases.alias(Alias::CoreInstanceExport {
        instance: 0,
        kind: ExportKind::Memory,
        name: "memory",
    });
    for name in [glue::REALLOC, glue::AUTHENTICATE, glue::POST_AUTHENTICATE] {
        aliases.alias(Alias::CoreInstanceExport {
            instance: 1,
            kind: ExportKind::Func,
            name,
        });
    }
    component.section(&aliases);

    // Type 0: `func(input: string) -> string`.
    let mut types = ComponentTypeSection::new();
    types
        .function()
        .params([("input", PrimitiveValType::String)])
        .result(Some(PrimitiveValType::String.into()));
    component.section(&types);

    let mut canon = CanonicalFunctionSection::new();
    canon.lift(
        1,
        0,
        [
            CanonicalOption::UTF8,
            CanonicalOption::Memory(0),
            CanonicalOption::Realloc(0),
            CanonicalOption::PostReturn(2),
        ],
    );
    component.section(&canon);

    let mut bridge = ComponentInstanceSection::new();
    bridge.export_items([("authenticate", ComponentExportKind::Func, 0)]);
    component.section(&bridge);

    let mut exports = ComponentExportSection::new();
    exports.export(BRIDGE_INTERFACE, ComponentExportKind::Instance, 0, None);
    component.section(&exports);
    component.finish()
}
