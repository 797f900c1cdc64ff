//! Host errors as MockForge's [`PluginError`]: every host [`Error`] becomes the variant that
//! says what went wrong, with the host's message (which names the plugin and the cause, and
//! carries the plugin's own message intact) as its text.

use mockforge_component_host::Error;
use mockforge_plugin_core::PluginError;

/// The [`PluginError`] MockForge sees for a host [`Error`].
///
/// | host error | `PluginError` |
/// | --- | --- |
/// | the plugin's own `invalid-config`, [`Error::Manifest`] | `ConfigurationError` |
/// | the plugin's own `internal`, [`Error::Host`], [`Error::Capacity`] | `InternalError` |
/// | the plugin's own `invalid-request`, [`Error::Unsupported`], a remote's failures ([`Error::Unavailable`], [`Error::Remote`], [`Error::RemoteProtocol`]), [`Error::InvalidAnswer`] | `ExecutionError` |
/// | [`Error::Trap`], [`Error::MemoryLimit`] | `WasmRuntimeError`, holding the host error itself |
/// | [`Error::Timeout`] | `Timeout` (a unit variant: the plugin and the limit are logged) |
/// | [`Error::CapabilityDenied`] | `PermissionDenied` |
/// | [`Error::DigestMismatch`], [`Error::Signature`] | `SecurityViolation` |
/// | [`Error::Io`], [`Error::NotWasm`], [`Error::CoreModule`], [`Error::InvalidComponent`], [`Error::WrongWorld`], [`Error::UnsupportedImport`] | `WasmError` (loading) |
///
/// A `WasmRuntimeError` wraps the host [`Error`] as its source, so that MockForge (or a log
/// of the whole chain) can still reach the trap's stderr and backtrace:
/// `err.downcast_ref::<mockforge_component_host::Error>()` on the wrapped error.
pub fn plugin_error(error: Error) -> PluginError {
    match error {
        Error::Plugin { plugin, error } => plugins_own_error(&plugin, error),
        Error::Manifest { .. } => PluginError::ConfigurationError {
            message: error.report(),
        },
        Error::Trap { .. } | Error::MemoryLimit { .. } => {
            PluginError::WasmRuntimeError(error.into())
        }
        Error::Timeout { .. } => {
            tracing::warn!(error = %error, "a component plugin timed out");
            PluginError::Timeout
        }
        Error::CapabilityDenied { .. } => PluginError::PermissionDenied {
            action: error.report(),
        },
        Error::DigestMismatch { .. } | Error::Signature { .. } => PluginError::SecurityViolation {
            violation: error.report(),
        },
        Error::Io { .. }
        | Error::NotWasm { .. }
        | Error::CoreModule { .. }
        | Error::InvalidComponent { .. }
        | Error::WrongWorld { .. }
        | Error::UnsupportedImport { .. } => PluginError::WasmError {
            message: error.report(),
        },
        Error::Unsupported { .. }
        | Error::Unavailable { .. }
        | Error::Remote { .. }
        | Error::RemoteProtocol { .. }
        | Error::InvalidAnswer { .. } => PluginError::ExecutionError {
            message: error.report(),
        },
        // `Host`, `Capacity`, and any kind a later host adds.
        _ => PluginError::InternalError {
            message: error.report(),
        },
    }
}

/// An error the plugin returned itself: its kind picks the variant, and its message is kept
/// as it was, after the plugin's name.
fn plugins_own_error(plugin: &str, error: mockforge_component_host::PluginError) -> PluginError {
    use mockforge_component_host::PluginError as Own;
    match error {
        Own::InvalidConfig(message) => PluginError::ConfigurationError {
            message: format!("plugin `{plugin}`: {message}"),
        },
        Own::InvalidRequest(message) => PluginError::ExecutionError {
            message: format!("plugin `{plugin}`: invalid request: {message}"),
        },
        Own::Internal(message) => PluginError::InternalError {
            message: format!("plugin `{plugin}`: {message}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::time::Duration;

    use mockforge_component_host::{PluginError as Own, PluginKind, SignatureProblem};

    use super::*;

    const NAME: &str = "some-plugin";

    fn own(error: Own) -> Error {
        Error::Plugin {
            plugin: NAME.into(),
            error,
        }
    }

    /// The variant's name and its text (the message, violation or action).
    fn variant(error: &PluginError) -> (&'static str, String) {
        match error {
            PluginError::ConfigurationError { message } => ("ConfigurationError", message.clone()),
            PluginError::InternalError { message } => ("InternalError", message.clone()),
            PluginError::ExecutionError { message } => ("ExecutionError", message.clone()),
            PluginError::SecurityViolation { violation } => {
                ("SecurityViolation", violation.clone())
            }
            PluginError::PermissionDenied { action } => ("PermissionDenied", action.clone()),
            PluginError::WasmError { message } => ("WasmError", message.clone()),
            PluginError::WasmRuntimeError(inner) => ("WasmRuntimeError", format!("{inner:#}")),
            PluginError::Timeout => ("Timeout", String::new()),
            other => panic!("the bridge never makes {other:?}"),
        }
    }

    #[test]
    fn the_plugins_own_errors_keep_their_message_and_kind() {
        let message = "the secret is missing: set `secret`\nline two, ünïcode";
        for (error, expected) in [
            (Own::InvalidConfig(message.into()), "ConfigurationError"),
            (Own::InvalidRequest(message.into()), "ExecutionError"),
            (Own::Internal(message.into()), "InternalError"),
        ] {
            let (name, text) = variant(&plugin_error(own(error)));
            assert_eq!(name, expected);
            assert!(text.starts_with(&format!("plugin `{NAME}`: ")), "{text}");
            assert!(text.ends_with(message), "{text}");
        }
    }

    #[test]
    fn every_host_error_becomes_its_variant_naming_the_plugin() {
        let plugin = || NAME.to_string();
        let cases: Vec<(Error, &str)> = vec![
            (
                Error::Manifest {
                    plugin: plugin(),
                    message: "key `version` is bad".into(),
                },
                "ConfigurationError",
            ),
            (
                Error::Io {
                    plugin: plugin(),
                    path: PathBuf::from("/nowhere/plugin.wasm"),
                    error: std::io::Error::from(std::io::ErrorKind::NotFound),
                },
                "WasmError",
            ),
            (
                Error::NotWasm {
                    plugin: plugin(),
                    detail: "starts with `PK`".into(),
                },
                "WasmError",
            ),
            (
                Error::CoreModule {
                    plugin: plugin(),
                    reason: "no allocator".into(),
                },
                "WasmError",
            ),
            (
                Error::InvalidComponent {
                    plugin: plugin(),
                    message: "cannot compile it".into(),
                    source: Some("type mismatch".into()),
                },
                "WasmError",
            ),
            (
                Error::WrongWorld {
                    plugin: plugin(),
                    kind: PluginKind::Auth,
                    expected: vec![mockforge_component_host::ContractVersion::LATEST
                        .auth_interface()
                        .into()],
                    found: vec![],
                    detail: String::new(),
                },
                "WasmError",
            ),
            (
                Error::UnsupportedImport {
                    plugin: plugin(),
                    source: "wasi:sockets".into(),
                },
                "WasmError",
            ),
            (
                Error::CapabilityDenied {
                    plugin: plugin(),
                    capability: "env HOME".into(),
                },
                "PermissionDenied",
            ),
            (
                Error::Trap {
                    plugin: plugin(),
                    message: "wasm `unreachable` instruction executed".into(),
                    backtrace: None,
                    stderr: "panicked at boom".into(),
                },
                "WasmRuntimeError",
            ),
            (
                Error::MemoryLimit {
                    plugin: plugin(),
                    limit_bytes: 16 << 20,
                },
                "WasmRuntimeError",
            ),
            (
                Error::Unsupported {
                    plugin: plugin(),
                    kind: PluginKind::Auth,
                    operation: "respond",
                },
                "ExecutionError",
            ),
            (
                Error::Capacity {
                    plugin: plugin(),
                    source: "all slots busy".into(),
                },
                "InternalError",
            ),
            (
                Error::Unavailable {
                    plugin: plugin(),
                    reason: "connection refused".into(),
                },
                "ExecutionError",
            ),
            (
                Error::Remote {
                    plugin: plugin(),
                    status: 500,
                    message: "crashed".into(),
                },
                "ExecutionError",
            ),
            (
                Error::RemoteProtocol {
                    plugin: plugin(),
                    field: Some("identity.roles[0]".into()),
                    message: "not a string".into(),
                },
                "ExecutionError",
            ),
            (
                Error::InvalidAnswer {
                    plugin: plugin(),
                    field: "response.status".into(),
                    reason: "999 is not an HTTP status".into(),
                },
                "ExecutionError",
            ),
            (
                Error::DigestMismatch {
                    plugin: plugin(),
                    expected: "00".repeat(32),
                    actual: "11".repeat(32),
                },
                "SecurityViolation",
            ),
            (
                Error::Signature {
                    plugin: plugin(),
                    problem: SignatureProblem::NoManifestFile,
                },
                "SecurityViolation",
            ),
            (
                Error::Host {
                    plugin: plugin(),
                    message: "cache folder unwritable".into(),
                    source: None,
                },
                "InternalError",
            ),
        ];
        for (error, expected) in cases {
            let host_text = error.report();
            let (name, text) = variant(&plugin_error(error));
            assert_eq!(name, expected, "{host_text}");
            assert_eq!(text, host_text, "the host's message, whole");
            assert!(text.contains(NAME), "{text}");
        }
    }

    #[test]
    fn a_trap_keeps_the_host_error_with_its_stderr_as_the_source() {
        let error = plugin_error(Error::Trap {
            plugin: NAME.into(),
            message: "unreachable".into(),
            backtrace: Some("0: guest::boom".into()),
            stderr: "panicked at src/lib.rs: boom".into(),
        });
        let PluginError::WasmRuntimeError(inner) = error else {
            panic!("not a runtime error: {error:?}");
        };
        let Some(Error::Trap {
            stderr, backtrace, ..
        }) = inner.downcast_ref::<Error>()
        else {
            panic!("the host error is not inside: {inner:?}");
        };
        assert_eq!(stderr, "panicked at src/lib.rs: boom");
        assert_eq!(backtrace.as_deref(), Some("0: guest::boom"));
    }

    #[test]
    fn a_timeout_is_the_timeout_variant() {
        let error = plugin_error(Error::Timeout {
            plugin: NAME.into(),
            limit: Duration::from_millis(100),
        });
        assert!(matches!(error, PluginError::Timeout), "{error:?}");
    }
}
