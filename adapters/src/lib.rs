//! Turns MockForge's legacy core-module plugins into components that export our WIT world.
//!
//! [`adapt`] takes bytes: a component passes through untouched; a core module is classified
//! by its exports ([`classify`]: family J, G or A, and its allocator) and wrapped; anything
//! else is refused with a message listing the exports and imports found. The wrapped plugin
//! is an ordinary component of world `mockforge:plugin/auth-plugin`, usable in any component
//! host; see `README.md` for how it is built and what the legacy JSON holds.
//!
//! ```
//! use mockforge_component_adapters::{adapt, Adapted};
//!
//! let module = wat::parse_str(r#"(module (func (export "run")))"#).unwrap();
//! let refused = adapt(&module).unwrap_err();
//! assert!(refused.to_string().contains("exports found: [run]"));
//! ```
#![deny(missing_docs)]

mod bridge;
mod classify;
mod compose;
pub mod contract;
mod error;
mod glue;
mod go_runtime;
mod splice;

use std::borrow::Cow;

pub use bridge::TRANSLATOR_VERSION as ADAPTED_CONTRACT;
pub use classify::{
    classify, AdapterMemory, Allocator, Classification, EntryPoint, Family, Legacy, ResultShape,
    WarmInstances, WasiArena, PROVIDED_IMPORTS, WASI_PREVIEW1,
};
pub use error::AdaptError;
pub use go_runtime::{GoHeapStart, RESERVED_FOR_ADAPTER};

/// Identifies what these adapters produce: it changes whenever the generated glue, the
/// translator or the aborter could change. Hosts caching adapted plugins put it in the key.
pub const FINGERPRINT: &str = env!("MOCKFORGE_ADAPTER_FINGERPRINT");

/// The component for `bytes`, and what the legacy module was when one was wrapped.
#[derive(Debug, Clone)]
pub struct Adapted<'a> {
    /// The component: `bytes` themselves for a component.
    pub component: Cow<'a, [u8]>,
    /// The classification of the legacy module, or `None` for a component.
    pub legacy: Option<Legacy>,
}

/// The component wrapping the legacy module `bytes`, which [`classify`] found to be `legacy`:
/// what [`adapt`] does after classifying, for a host that classified the module already (to
/// choose its instance strategy, say, before looking for a cached compilation).
pub fn adapt_legacy(bytes: &[u8], legacy: &Legacy) -> Result<Vec<u8>, AdaptError> {
    wasmparser::Validator::new()
        .validate_all(bytes)
        .map_err(|e| AdaptError::Malformed(e.to_string()))?;
    let bridge = bridge::component(bytes, legacy)?;
    compose::with_translator(bridge, legacy)
}

/// Adapts `bytes` into a component exporting `mockforge:plugin/auth@0.2.0`,
/// `mockforge:plugin/responder@0.2.0` or both (see the crate documentation).
pub fn adapt(bytes: &[u8]) -> Result<Adapted<'_>, AdaptError> {
    let legacy = match classify(bytes)? {
        Classification::Component => {
            return Ok(Adapted {
                component: Cow::Borrowed(bytes),
                legacy: None,
            })
        }
        Classification::Legacy(legacy) => legacy,
    };
    let component = adapt_legacy(bytes, &legacy)?;
    Ok(Adapted {
        component: Cow::Owned(component),
        legacy: Some(legacy),
    })
}
