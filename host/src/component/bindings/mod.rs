//! Host bindings, one module per released version of the contract (`wit/<version>/`), in the
//! manner of a frozen API: a version's module never changes once released, and converts its
//! generated types to the public ones in [`crate::types`] (the newest). Private: embedders
//! see only the public types, so generated code can change without breaking them.

/// The conversions of the types every version has unchanged (`response`, `plugin-error`),
/// written once: expanded in each version's module, where `wit` names its `types`.
macro_rules! unchanged_conversions {
    () => {
        impl From<wit::Response> for crate::types::Response {
            fn from(response: wit::Response) -> Self {
                Self {
                    status: response.status,
                    headers: response.headers,
                    body: response.body,
                }
            }
        }

        impl From<crate::types::Response> for wit::Response {
            fn from(response: crate::types::Response) -> Self {
                Self {
                    status: response.status,
                    headers: response.headers,
                    body: response.body,
                }
            }
        }

        impl From<wit::PluginError> for crate::types::PluginError {
            fn from(error: wit::PluginError) -> Self {
                use crate::error::bounded_message;
                match error {
                    wit::PluginError::InvalidConfig(message) => {
                        Self::InvalidConfig(bounded_message(message))
                    }
                    wit::PluginError::InvalidRequest(message) => {
                        Self::InvalidRequest(bounded_message(message))
                    }
                    wit::PluginError::Internal(message) => Self::Internal(bounded_message(message)),
                }
            }
        }
    };
}
pub(crate) use unchanged_conversions;

pub(crate) mod v0_1;
pub(crate) mod v0_2;

use mockforge_component_adapters::contract::ContractVersion;
use wasmtime::component::{Instance, InstancePre};
use wasmtime::Store;

use crate::answer::Violation;
use crate::component::store::InstanceState;
use crate::types::PluginKind;

/// Where the exports a plugin's kind requires are in its component, for the version it
/// implements: resolved once at load.
pub(crate) enum ExportIndices {
    /// A plugin of contract 0.1.
    V0_1 {
        auth: Option<v0_1::AuthIndices>,
        responder: Option<v0_1::ResponderIndices>,
    },
    /// A plugin of contract 0.2.
    V0_2 {
        auth: Option<v0_2::AuthIndices>,
        responder: Option<v0_2::ResponderIndices>,
    },
}

/// The exports of one live instance.
pub(crate) enum Exports {
    /// An instance of a contract-0.1 plugin.
    V0_1 {
        auth: Option<v0_1::exports::mockforge::plugin::auth::Guest>,
        responder: Option<v0_1::exports::mockforge::plugin::responder::Guest>,
    },
    /// An instance of a contract-0.2 plugin.
    V0_2 {
        auth: Option<v0_2::exports::mockforge::plugin::auth::Guest>,
        responder: Option<v0_2::exports::mockforge::plugin::responder::Guest>,
    },
}

impl ExportIndices {
    /// The indices of what `kind` requires, at `version`; an error when the component lacks
    /// one or its type differs.
    pub(crate) fn new(
        pre: &InstancePre<InstanceState>,
        version: ContractVersion,
        kind: PluginKind,
    ) -> wasmtime::Result<Self> {
        fn when<T>(
            needed: bool,
            find: impl FnOnce() -> wasmtime::Result<T>,
        ) -> wasmtime::Result<Option<T>> {
            needed.then(find).transpose()
        }
        let (auth, respond) = (kind.authenticates(), kind.responds());
        Ok(match version {
            ContractVersion::V0_1 => Self::V0_1 {
                auth: when(auth, || v0_1::AuthIndices::new(pre))?,
                responder: when(respond, || v0_1::ResponderIndices::new(pre))?,
            },
            ContractVersion::V0_2 => Self::V0_2 {
                auth: when(auth, || v0_2::AuthIndices::new(pre))?,
                responder: when(respond, || v0_2::ResponderIndices::new(pre))?,
            },
        })
    }

    /// The exports of `instance`, just instantiated in `store`.
    pub(crate) fn load(
        &self,
        store: &mut Store<InstanceState>,
        instance: &Instance,
    ) -> wasmtime::Result<Exports> {
        Ok(match self {
            Self::V0_1 { auth, responder } => Exports::V0_1 {
                auth: auth
                    .as_ref()
                    .map(|i| i.load(&mut *store, instance))
                    .transpose()?,
                responder: responder
                    .as_ref()
                    .map(|i| i.load(&mut *store, instance))
                    .transpose()?,
            },
            Self::V0_2 { auth, responder } => Exports::V0_2 {
                auth: auth
                    .as_ref()
                    .map(|i| i.load(&mut *store, instance))
                    .transpose()?,
                responder: responder
                    .as_ref()
                    .map(|i| i.load(&mut *store, instance))
                    .transpose()?,
            },
        })
    }
}

/// A plugin's answer that cannot be converted to the public types (claims that are not a
/// JSON object): raised from a call as an error, reported as
/// [`Error::InvalidAnswer`](crate::Error::InvalidAnswer).
#[derive(Debug)]
pub(crate) struct MalformedAnswer(pub(crate) Violation);

impl std::fmt::Display for MalformedAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.0.field, self.0.reason)
    }
}

impl std::error::Error for MalformedAnswer {}
