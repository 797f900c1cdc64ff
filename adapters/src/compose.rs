//! Composition of the bridge component with the translator component (wac-graph): the
//! bridge's export plugs the translator's import, and the result exports the translator's
//! `mockforge:plugin/auth` and imports what the translator imports.

use wac_graph::types::Package;
use wac_graph::{plug, CompositionGraph, EncodeOptions};

use crate::error::AdaptError;

/// The translator component, built from `translator/` by `build.rs`.
const TRANSLATOR: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/translator.wasm"));

/// The bridge plugged into the translator, encoded and validated.
pub(crate) fn with_translator(bridge: Vec<u8>) -> Result<Vec<u8>, AdaptError> {
    let internal = |e: &dyn std::fmt::Display| AdaptError::Internal(format!("composition: {e:#}"));
    let mut graph = CompositionGraph::new();
    let translator = Package::from_bytes(
        "mockforge:legacy-translator",
        None,
        TRANSLATOR,
        graph.types_mut(),
    )
    .map_err(|e| internal(&e))?;
    let translator = graph
        .register_package(translator)
        .map_err(|e| internal(&e))?;
    let bridge = Package::from_bytes("mockforge:legacy-bridge", None, bridge, graph.types_mut())
        .map_err(|e| internal(&e))?;
    let bridge = graph.register_package(bridge).map_err(|e| internal(&e))?;
    plug(&mut graph, vec![bridge], translator).map_err(|e| internal(&e))?;
    graph
        .encode(EncodeOptions::default())
        .map_err(|e| internal(&e))
}
