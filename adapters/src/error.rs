//! Why a binary cannot be adapted. The host wraps these with the plugin's name.

use crate::classify::Family;

/// A failure to classify or adapt a binary; every one is the binary's fault except
/// [`AdaptError::Internal`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AdaptError {
    /// Not WebAssembly at all.
    #[error("not a WebAssembly binary")]
    NotWasm,
    /// A section cannot be parsed.
    #[error("malformed module: {0}")]
    Malformed(String),
    /// No legacy convention's entry point is exported.
    #[error(
        "a core module that follows no legacy MockForge convention (no `authenticate` or \
         `plugin_auth_authenticate` export); exports found: [{}]; imports found: [{}]",
        exports.join(", "),
        imports.join(", ")
    )]
    Unrecognized {
        /// Every export.
        exports: Vec<String>,
        /// Every import, as `module.name`.
        imports: Vec<String>,
    },
    /// The convention is recognised but a required export is missing.
    #[error("a family {family} module without {export}; exports found: [{}]", exports.join(", "))]
    MissingExport {
        /// The family its entry point names.
        family: Family,
        /// What is missing.
        export: String,
        /// Every export.
        exports: Vec<String>,
    },
    /// An export has the wrong signature.
    #[error("export `{export}` has signature {found}; expected {expected}")]
    Signature {
        /// The export.
        export: String,
        /// Its signature.
        found: String,
        /// What the convention requires.
        expected: String,
    },
    /// The module imports something an adapted plugin cannot provide.
    #[error("imports `{import}`, which adapted plugins do not provide (they provide: {provided})")]
    UnsupportedImport {
        /// The import, as `module.name`.
        import: String,
        /// What is provided.
        provided: &'static str,
    },
    /// A recognised convention these adapters do not handle.
    #[error("{what} are not supported by these adapters")]
    Unsupported {
        /// What was recognised.
        what: String,
    },
    /// Generating or composing the component failed: a fault of the adapters, not the module.
    #[error("internal adapter failure: {0}")]
    Internal(String),
}
