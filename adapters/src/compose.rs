//! Composition (wac-graph): the aborter plugs the bridge's `abort` import (AssemblyScript
//! modules only), the bridge plugs the translator's `json` import, and the result exports the
//! translator's `mockforge:plugin/auth` and/or `mockforge:plugin/responder`, as the legacy
//! module has entry points for. Every import left (WASI 0.2, `mockforge:plugin/*`)
//! becomes an import of the composed component.

use wac_graph::types::Package;
use wac_graph::{CompositionGraph, EncodeOptions, NodeId, PackageId};

use crate::bridge::TRANSLATOR_VERSION;
use crate::classify::Legacy;
use crate::error::AdaptError;
use crate::splice::{ABORT_INTERFACE, JSON_INTERFACE};

/// The translator component, built from `translator/` by `build.rs`.
const TRANSLATOR: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/translator.wasm"));
/// The aborter component, built from `translator/aborter/` by `build.rs`.
const ABORTER: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/aborter.wasm"));

fn internal(e: impl std::fmt::Display) -> AdaptError {
    AdaptError::Internal(format!("composition: {e:#}"))
}

/// The bridge composed with the translator (and, when the bridge imports it, the aborter).
/// It exports the translator's `auth` when the module has an auth entry point, its
/// `responder` when it has a response entry point.
pub(crate) fn with_translator(bridge: Vec<u8>, legacy: &Legacy) -> Result<Vec<u8>, AdaptError> {
    let aborts = legacy.imports_abort;
    let mut graph = CompositionGraph::new();
    let translator = register(
        &mut graph,
        "mockforge:legacy-translator",
        TRANSLATOR.to_vec(),
    )?;
    let bridge = register(&mut graph, "mockforge:legacy-bridge", bridge)?;

    let bridge = graph.instantiate(bridge);
    if aborts {
        let aborter = register(&mut graph, "mockforge:legacy-aborter", ABORTER.to_vec())?;
        let aborter = graph.instantiate(aborter);
        connect(&mut graph, aborter, bridge, ABORT_INTERFACE)?;
    }
    let translator = graph.instantiate(translator);
    connect(&mut graph, bridge, translator, JSON_INTERFACE)?;
    let interfaces = [
        (legacy.auth.is_some(), TRANSLATOR_VERSION.auth_interface()),
        (
            legacy.response.is_some(),
            TRANSLATOR_VERSION.responder_interface(),
        ),
    ];
    for (_, interface) in interfaces.into_iter().filter(|(has, _)| *has) {
        let export = graph
            .alias_instance_export(translator, interface)
            .map_err(internal)?;
        graph.export(export, interface).map_err(internal)?;
    }
    graph.encode(EncodeOptions::default()).map_err(internal)
}

fn register(
    graph: &mut CompositionGraph,
    name: &str,
    bytes: Vec<u8>,
) -> Result<PackageId, AdaptError> {
    let package = Package::from_bytes(name, None, bytes, graph.types_mut()).map_err(internal)?;
    graph.register_package(package).map_err(internal)
}

/// Plugs `from`'s export `interface` into `to`'s import of the same name.
fn connect(
    graph: &mut CompositionGraph,
    from: NodeId,
    to: NodeId,
    interface: &str,
) -> Result<(), AdaptError> {
    let export = graph
        .alias_instance_export(from, interface)
        .map_err(internal)?;
    graph
        .set_instantiation_argument(to, interface, export)
        .map_err(internal)
}
