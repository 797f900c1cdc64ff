//! The bridge component: the legacy module with its glue spliced in, made a component by
//! wit-component for world `mockforge:legacy-bridge/bridge`. wit-component generates every
//! lift and lower: the bridge's exports over the legacy memory with the glue's `realloc`, the
//! AssemblyScript abort import, and WASI preview 1 through the preview1-to-preview2 adapter
//! (`wasi-preview1-component-adapter-provider`, the reactor flavour: the module's
//! `_initialize`, or `_start`, runs once per instance after WASI is linked).

use wasi_preview1_component_adapter_provider::{
    WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME, WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
};
use wit_component::{ComponentEncoder, StringEncoding};
use wit_parser::{Resolve, SourceMap, WorldId};

use crate::classify::{AdapterMemory, Family, Legacy};
use crate::contract::ContractVersion;
use crate::error::AdaptError;
use crate::{glue, splice};

/// The contract version the translator implements: an adapted legacy plugin is a plugin of
/// this version (the newest, so that a legacy response plugin gets the matched route's path
/// parameters and the caller's identity).
pub const TRANSLATOR_VERSION: ContractVersion = ContractVersion::V0_2;
/// The bridge package (`wit/legacy/bridge.wit`).
const BRIDGE_WIT: &str = include_str!("../../wit/legacy/bridge.wit");

/// The bridge component around `legacy_bytes`, classified as `legacy`.
pub(crate) fn component(legacy_bytes: &[u8], legacy: &Legacy) -> Result<Vec<u8>, AdaptError> {
    let glue = glue::module(legacy)?;
    let heap_start = match legacy.adapter_memory {
        AdapterMemory::BelowGoHeap(heap) => Some(heap),
        AdapterMemory::ModuleArena(_) | AdapterMemory::Grown => None,
    };
    let mut module = splice::splice(legacy_bytes, &glue, heap_start)?;
    let (resolve, world) = bridge_world()?;
    // AssemblyScript strings are UTF-16; the canonical ABI transcodes.
    let encoding = match legacy.family {
        Family::A => StringEncoding::UTF16,
        Family::J | Family::G => StringEncoding::UTF8,
    };
    let internal = |e: anyhow::Error| AdaptError::Internal(format!("bridge component: {e:#}"));
    wit_component::embed_component_metadata(&mut module, &resolve, world, encoding)
        .map_err(internal)?;
    ComponentEncoder::default()
        .validate(true)
        .module(&module)
        .map_err(internal)?
        .adapter(
            WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME,
            WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
        )
        .map_err(internal)?
        .encode()
        .map_err(internal)
}

/// The resolved WIT of world `mockforge:legacy-bridge/bridge`.
fn bridge_world() -> Result<(Resolve, WorldId), AdaptError> {
    let internal = |e: anyhow::Error| AdaptError::Internal(format!("bridge WIT: {e:#}"));
    let mut resolve = Resolve::default();
    let mut plugin = SourceMap::default();
    for &(name, text) in TRANSLATOR_VERSION.wit_files() {
        plugin.push_str(name, text);
    }
    let plugin = plugin
        .parse()
        .map_err(|(_, e)| internal(anyhow::anyhow!("{e}")))?;
    resolve.push_group(plugin).map_err(|e| internal(e.into()))?;
    let bridge = resolve
        .push_source("legacy/bridge.wit", BRIDGE_WIT)
        .map_err(internal)?;
    let world = resolve
        .select_world(&[bridge], Some("bridge"))
        .map_err(internal)?;
    Ok((resolve, world))
}
