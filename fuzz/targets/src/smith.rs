//! wasm-smith inputs: arbitrary core modules, and arbitrary core modules in the exact shape of a
//! plugin world's core module, wrapped into components of that world.

use std::path::Path;

use arbitrary::Unstructured;
use mockforge_component_host::{ContractVersion, PluginKind};
use wasm_smith::{Config, Module};
use wit_component::{ComponentEncoder, StringEncoding};
use wit_parser::{ManglingAndAbi, Resolve, WorldId};

/// Keeps generated modules small (a fuzz input should compile in milliseconds) and within the
/// WebAssembly features the host's engine enables (no GC, exceptions, threads or typed
/// references).
fn small_config() -> Config {
    Config {
        gc_enabled: false,
        exceptions_enabled: false,
        threads_enabled: false,
        // Declared `externref` element segments need the GC proposal in wasmparser's eyes.
        reference_types_enabled: false,
        max_funcs: 20,
        max_instructions: 200,
        max_nesting_depth: 8,
        max_data_segments: 8,
        max_memory32_bytes: 16 << 20,
        ..Config::default()
    }
}

/// An arbitrary core module from `data`, or `None` when `data` is too short to make one.
pub(crate) fn core_module(data: &[u8]) -> Option<Vec<u8>> {
    let mut u = Unstructured::new(data);
    Module::new(small_config(), &mut u)
        .ok()
        .map(|m| m.to_bytes())
}

/// The plugin worlds of every contract version under `wit/` and the shapes of their core
/// modules.
pub struct Shapes {
    resolve: Resolve,
    /// Per contract version: the auth and response worlds with their shapes.
    versions: Vec<VersionShapes>,
}

struct VersionShapes {
    auth: (WorldId, Vec<u8>),
    response: (WorldId, Vec<u8>),
}

impl Default for Shapes {
    fn default() -> Self {
        Self::new()
    }
}

impl Shapes {
    /// Parses the project's WIT, every version folder of `wit/` this host serves.
    pub fn new() -> Self {
        let mut resolve = Resolve::default();
        let mut packages = Vec::new();
        for version in ContractVersion::ALL {
            let wit = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../wit")
                .join(version.as_str());
            let (package, _) = resolve
                .push_dir(&wit)
                .unwrap_or_else(|e| panic!("{} parses: {e:#}", wit.display()));
            packages.push(package);
        }
        let versions = packages
            .into_iter()
            .map(|package| {
                let shape = |world: &str| {
                    let id = resolve
                        .select_world(&[package], Some(world))
                        .unwrap_or_else(|e| panic!("world {world}: {e:#}"));
                    (
                        id,
                        wit_component::dummy_module(&resolve, id, ManglingAndAbi::Standard32),
                    )
                };
                VersionShapes {
                    auth: shape("auth-plugin"),
                    response: shape("response-plugin"),
                }
            })
            .collect();
        Self { resolve, versions }
    }

    /// A component of the world of `kind` (of the contract version `data`'s first byte picks)
    /// whose core module wasm-smith made from the rest of `data` in the world's shape, or
    /// `None` when `data` is too short or the result cannot be wrapped.
    pub fn component(&self, kind: PluginKind, data: &[u8]) -> Option<Vec<u8>> {
        let (&pick, data) = data.split_first()?;
        let version = &self.versions[usize::from(pick) % self.versions.len()];
        let (world, shape) = match kind {
            PluginKind::Response => &version.response,
            _ => &version.auth,
        };
        let config = Config {
            module_shape: Some(shape.clone()),
            ..small_config()
        };
        let mut u = Unstructured::new(data);
        let mut module = Module::new(config, &mut u).ok()?.to_bytes();
        wit_component::embed_component_metadata(
            &mut module,
            &self.resolve,
            *world,
            StringEncoding::UTF8,
        )
        .ok()?;
        ComponentEncoder::default()
            .validate(true)
            .module(&module)
            .and_then(|mut encoder| encoder.encode())
            .ok()
    }
}
