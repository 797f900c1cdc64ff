//! The one error type at the crate boundary. Every variant names the plugin and says whose
//! fault the failure was.

use std::path::PathBuf;
use std::time::Duration;

mod signature;

use crate::types::{PluginError, PluginKind};
pub use signature::{SignatureProblem, Tampered};

/// Whose fault a failure was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fault {
    /// The plugin: its bytes, its manifest, or what it did while running.
    Plugin,
    /// The embedder: a path that cannot be read, a policy that refuses what the plugin needs,
    /// an operation the plugin does not offer.
    Embedder,
    /// The host itself or the machine (cache directory, instance slots, an internal fault).
    Host,
}

/// What kind of failure an [`Error`] is; used as the key of per-plugin error counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)] // each name mirrors the `Error` variant documented below
pub enum ErrorKind {
    Io,
    Manifest,
    NotWasm,
    CoreModule,
    InvalidComponent,
    WrongWorld,
    UnsupportedImport,
    CapabilityDenied,
    Trap,
    Timeout,
    MemoryLimit,
    Plugin,
    Unsupported,
    Capacity,
    Host,
    Unavailable,
    Remote,
    RemoteProtocol,
    InvalidAnswer,
    DigestMismatch,
    Signature,
}

impl ErrorKind {
    /// Whose fault a failure of this kind is.
    pub fn fault(self) -> Fault {
        match self {
            Self::Io | Self::CapabilityDenied | Self::Unsupported => Fault::Embedder,
            Self::Capacity | Self::Host => Fault::Host,
            Self::Manifest
            | Self::NotWasm
            | Self::CoreModule
            | Self::InvalidComponent
            | Self::WrongWorld
            | Self::UnsupportedImport
            | Self::Trap
            | Self::Timeout
            | Self::MemoryLimit
            | Self::Plugin
            | Self::Unavailable
            | Self::Remote
            | Self::RemoteProtocol
            | Self::InvalidAnswer
            | Self::DigestMismatch
            | Self::Signature => Fault::Plugin,
        }
    }

    /// Every kind, in declaration order.
    pub const ALL: [ErrorKind; 21] = [
        Self::Io,
        Self::Manifest,
        Self::NotWasm,
        Self::CoreModule,
        Self::InvalidComponent,
        Self::WrongWorld,
        Self::UnsupportedImport,
        Self::CapabilityDenied,
        Self::Trap,
        Self::Timeout,
        Self::MemoryLimit,
        Self::Plugin,
        Self::Unsupported,
        Self::Capacity,
        Self::Host,
        Self::Unavailable,
        Self::Remote,
        Self::RemoteProtocol,
        Self::InvalidAnswer,
        Self::DigestMismatch,
        Self::Signature,
    ];
}

/// A failure to load or call a plugin.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read (or may not be: not a regular file, over its size cap).
    /// The I/O error is the [`source`](std::error::Error::source).
    #[error("plugin `{plugin}`: cannot read {}", path.display())]
    Io {
        /// The plugin (or the path it was loaded from, before its manifest was read).
        plugin: String,
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        error: std::io::Error,
    },

    /// The manifest is malformed or holds a bad value.
    #[error("plugin `{plugin}`: bad manifest: {message}")]
    Manifest {
        /// The plugin.
        plugin: String,
        /// What is wrong, naming the key.
        message: String,
    },

    /// The bytes are not WebAssembly at all.
    #[error("plugin `{plugin}`: not a WebAssembly binary ({detail})")]
    NotWasm {
        /// The plugin.
        plugin: String,
        /// What was found instead.
        detail: String,
    },

    /// The bytes are a core module that the legacy adapters cannot turn into a component.
    #[error(
        "plugin `{plugin}`: a core WebAssembly module that cannot be adapted into a component: \
         {reason}"
    )]
    CoreModule {
        /// The plugin.
        plugin: String,
        /// Why, naming what was found (the exports and imports, a missing allocator, an
        /// import adapted plugins do not provide).
        reason: String,
    },

    /// The component is malformed, over a compile budget, or cannot be compiled.
    #[error("plugin `{plugin}`: invalid component: {message}")]
    InvalidComponent {
        /// The plugin.
        plugin: String,
        /// What is wrong (a budget exceeded, naming the setting), or what failed.
        message: String,
        /// The validator's or the compiler's error, when one of them refused it.
        #[source]
        source: Option<BoxError>,
    },

    /// The component does not export what its manifest's kind requires.
    #[error(
        "plugin `{plugin}`: not a {kind} plugin: expected exports [{}], found [{}]{}",
        expected.join(", "),
        found.join(", "),
        if detail.is_empty() { String::new() } else { format!(": {detail}") }
    )]
    WrongWorld {
        /// The plugin.
        plugin: String,
        /// The kind its manifest declares.
        kind: PluginKind,
        /// The exports that kind requires.
        expected: Vec<String>,
        /// The exports the component has.
        found: Vec<String>,
        /// Why the exports do not fit when their names do (a type that differs from the WIT);
        /// empty when an export is missing.
        detail: String,
    },

    /// The component imports something the host does not provide.
    #[error("plugin `{plugin}`: imports something this host does not provide")]
    UnsupportedImport {
        /// The plugin.
        plugin: String,
        /// The linker's error, naming the import.
        #[source]
        source: BoxError,
    },

    /// The manifest requests a capability the embedder's policy does not allow.
    #[error("plugin `{plugin}`: capability denied: {capability}")]
    CapabilityDenied {
        /// The plugin.
        plugin: String,
        /// The capability refused, as the manifest spelled it.
        capability: String,
    },

    /// The plugin trapped (a panic, an out-of-bounds access, `unreachable`).
    #[error("plugin `{plugin}` trapped: {message}{}", stderr_suffix(stderr))]
    Trap {
        /// The plugin.
        plugin: String,
        /// The trap's message.
        message: String,
        /// The WebAssembly backtrace, when one was captured.
        backtrace: Option<String>,
        /// The last lines the plugin wrote to stderr during the call (a panic message, say).
        stderr: String,
    },

    /// A call ran past the plugin's time limit and was stopped.
    #[error("plugin `{plugin}` exceeded its time limit of {} ms", limit.as_millis())]
    Timeout {
        /// The plugin.
        plugin: String,
        /// The limit in force.
        limit: Duration,
    },

    /// The plugin tried to grow its memory past its limit.
    #[error("plugin `{plugin}` exceeded its memory limit of {} MiB", limit_bytes >> 20)]
    MemoryLimit {
        /// The plugin.
        plugin: String,
        /// The limit in force, in bytes.
        limit_bytes: u64,
    },

    /// The plugin returned its own error; its message is kept intact up to
    /// [`MAX_ERROR_MESSAGE_BYTES`].
    #[error("plugin `{plugin}` failed: {error}")]
    Plugin {
        /// The plugin.
        plugin: String,
        /// The error as the plugin returned it.
        error: PluginError,
    },

    /// The plugin does not offer the operation that was called.
    #[error("plugin `{plugin}` is a {kind} plugin and does not offer `{operation}`")]
    Unsupported {
        /// The plugin.
        plugin: String,
        /// Its kind.
        kind: PluginKind,
        /// The operation called.
        operation: &'static str,
    },

    /// The host has no free instance slot (the pooling allocator is full).
    #[error("plugin `{plugin}`: no instance slot free")]
    Capacity {
        /// The plugin.
        plugin: String,
        /// The allocator's error.
        #[source]
        source: BoxError,
    },

    /// A remote plugin could not be asked: no connection, a connection that broke, its
    /// circuit breaker is open, or it answered 502, 503 or 504 (after the retries allowed).
    #[error("plugin `{plugin}` is unavailable: {reason}")]
    Unavailable {
        /// The plugin.
        plugin: String,
        /// Why.
        reason: String,
    },

    /// A remote plugin answered with an HTTP error status that carries no plugin error (a
    /// 500 from a crashed handler, a 401 for a wrong shared secret).
    #[error("plugin `{plugin}`: the remote answered {status}: {message}")]
    Remote {
        /// The plugin.
        plugin: String,
        /// The HTTP status.
        status: u16,
        /// The error envelope's kind and message, or the start of the body.
        message: String,
    },

    /// A remote plugin answered something that is not the protocol's shape: not JSON, a
    /// missing or mistyped field, a body over the size cap.
    #[error(
        "plugin `{plugin}`: bad answer from the remote{}: {message}",
        field.as_ref().map(|f| format!(" (field `{f}`)")).unwrap_or_default()
    )]
    RemoteProtocol {
        /// The plugin.
        plugin: String,
        /// The offending field as a path (`identity.roles[0]`); `None` for the body as a whole.
        field: Option<String>,
        /// What is wrong with it.
        message: String,
    },

    /// The plugin answered something the host does not pass on: a status outside 100-599, a
    /// denial that is not 4xx or 5xx, a header name or value HTTP forbids (CR, LF, NUL), a
    /// body or an identity over its cap (see [`AnswerLimits`](crate::AnswerLimits)).
    #[error("plugin `{plugin}`: invalid answer: field `{field}`: {reason}")]
    InvalidAnswer {
        /// The plugin.
        plugin: String,
        /// The offending field as a path (`response.headers[2].value`, `denial.status`).
        field: String,
        /// What is wrong with it.
        reason: String,
    },

    /// The component's bytes do not hash to the `sha256` its manifest pins.
    #[error(
        "plugin `{plugin}`: the component's sha256 is {actual}, but its manifest pins {expected}"
    )]
    DigestMismatch {
        /// The plugin.
        plugin: String,
        /// The pinned digest, lower-case hex.
        expected: String,
        /// The component's digest, lower-case hex.
        actual: String,
    },

    /// The embedder's [`SignaturePolicy`](crate::SignaturePolicy) refused the plugin: it is
    /// unsigned, its signature is unreadable or by a key not trusted, or it changed since it
    /// was signed.
    #[error("plugin `{plugin}`: signature refused: {problem}")]
    Signature {
        /// The plugin.
        plugin: String,
        /// Why.
        problem: SignatureProblem,
    },

    /// The host failed (cache directory, engine setup, an internal fault).
    #[error("plugin `{plugin}`: host failure: {message}")]
    Host {
        /// The plugin, or `<host>` when no plugin is involved.
        plugin: String,
        /// What failed.
        message: String,
        /// Why, when the failure came from elsewhere (a task that panicked, wasmtime).
        #[source]
        source: Option<BoxError>,
    },
}

fn stderr_suffix(stderr: &str) -> String {
    if stderr.is_empty() {
        String::new()
    } else {
        format!(" (stderr: {})", stderr.trim_end())
    }
}

impl Error {
    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Io { .. } => ErrorKind::Io,
            Self::Manifest { .. } => ErrorKind::Manifest,
            Self::NotWasm { .. } => ErrorKind::NotWasm,
            Self::CoreModule { .. } => ErrorKind::CoreModule,
            Self::InvalidComponent { .. } => ErrorKind::InvalidComponent,
            Self::WrongWorld { .. } => ErrorKind::WrongWorld,
            Self::UnsupportedImport { .. } => ErrorKind::UnsupportedImport,
            Self::CapabilityDenied { .. } => ErrorKind::CapabilityDenied,
            Self::Trap { .. } => ErrorKind::Trap,
            Self::Timeout { .. } => ErrorKind::Timeout,
            Self::MemoryLimit { .. } => ErrorKind::MemoryLimit,
            Self::Plugin { .. } => ErrorKind::Plugin,
            Self::Unsupported { .. } => ErrorKind::Unsupported,
            Self::Capacity { .. } => ErrorKind::Capacity,
            Self::Host { .. } => ErrorKind::Host,
            Self::Unavailable { .. } => ErrorKind::Unavailable,
            Self::Remote { .. } => ErrorKind::Remote,
            Self::RemoteProtocol { .. } => ErrorKind::RemoteProtocol,
            Self::InvalidAnswer { .. } => ErrorKind::InvalidAnswer,
            Self::DigestMismatch { .. } => ErrorKind::DigestMismatch,
            Self::Signature { .. } => ErrorKind::Signature,
        }
    }

    /// Whose fault the failure was.
    /// A remote plugin's failures are the plugin's (its service, its deployment).
    pub fn fault(&self) -> Fault {
        self.kind().fault()
    }

    /// The message and every cause after it, separated by `: `; what a log line or an error
    /// page should show ([`Display`](std::fmt::Display) alone gives this error's own message,
    /// its causes are its [`source`](std::error::Error::source)s).
    pub fn report(&self) -> String {
        report(self)
    }

    /// The plugin the failure concerns.
    pub fn plugin(&self) -> &str {
        match self {
            Self::Io { plugin, .. }
            | Self::Manifest { plugin, .. }
            | Self::NotWasm { plugin, .. }
            | Self::CoreModule { plugin, .. }
            | Self::InvalidComponent { plugin, .. }
            | Self::WrongWorld { plugin, .. }
            | Self::UnsupportedImport { plugin, .. }
            | Self::CapabilityDenied { plugin, .. }
            | Self::Trap { plugin, .. }
            | Self::Timeout { plugin, .. }
            | Self::MemoryLimit { plugin, .. }
            | Self::Plugin { plugin, .. }
            | Self::Unsupported { plugin, .. }
            | Self::Capacity { plugin, .. }
            | Self::Host { plugin, .. }
            | Self::Unavailable { plugin, .. }
            | Self::Remote { plugin, .. }
            | Self::RemoteProtocol { plugin, .. }
            | Self::InvalidAnswer { plugin, .. }
            | Self::DigestMismatch { plugin, .. }
            | Self::Signature { plugin, .. } => plugin,
        }
    }

    /// A host failure with no cause beyond `message`.
    pub(crate) fn host(plugin: &str, message: impl Into<String>) -> Self {
        Self::Host {
            plugin: plugin.to_owned(),
            message: message.into(),
            source: None,
        }
    }

    /// A host failure: `what` failed because of `cause`.
    pub(crate) fn host_caused(
        plugin: &str,
        what: impl Into<String>,
        cause: impl Into<BoxError>,
    ) -> Self {
        Self::Host {
            plugin: plugin.to_owned(),
            message: what.into(),
            source: Some(cause.into()),
        }
    }

    /// A file of `plugin` that cannot be read.
    pub(crate) fn io(plugin: &str, path: &std::path::Path, error: std::io::Error) -> Self {
        Self::Io {
            plugin: plugin.to_owned(),
            path: path.to_owned(),
            error,
        }
    }

    pub(crate) fn manifest(plugin: &str, message: impl Into<String>) -> Self {
        Self::Manifest {
            plugin: plugin.to_owned(),
            message: message.into(),
        }
    }
}

/// The plugin name of errors that concern no plugin in particular (setting up the engine, say).
pub(crate) const NO_PLUGIN: &str = "<host>";

/// The longest error message a plugin's own error keeps (what a plugin returns as its error,
/// a remote's error envelope or error body): a longer one is cut at a character boundary and
/// ends with a marker giving its whole length, `… [truncated, 52428800 bytes]`.
pub const MAX_ERROR_MESSAGE_BYTES: usize = 4096;

/// `message` cut to [`MAX_ERROR_MESSAGE_BYTES`] with a marker naming its whole length.
pub(crate) fn bounded_message(mut message: String) -> String {
    if message.len() <= MAX_ERROR_MESSAGE_BYTES {
        return message;
    }
    let total = message.len();
    let mut end = MAX_ERROR_MESSAGE_BYTES;
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    message.truncate(end);
    message.push_str(&format!("… [truncated, {total} bytes]"));
    message
}

/// A cause kept as an error's [`source`](std::error::Error::source).
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// `error`'s message and the message of every cause in its
/// [`source`](std::error::Error::source) chain, separated by `: `. A cause whose message is
/// already said (an error that quotes its source, at the end or anywhere in its message) is
/// said once.
pub fn report(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(next) = cause {
        let message = next.to_string();
        if !message.is_empty() && !text.contains(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        cause = next.source();
    }
    text
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_names_its_plugin_and_fault() {
        let err = Error::Timeout {
            plugin: "slow".into(),
            limit: Duration::from_millis(50),
        };
        assert_eq!(err.plugin(), "slow");
        assert_eq!(err.fault(), Fault::Plugin);
        assert_eq!(
            err.to_string(),
            "plugin `slow` exceeded its time limit of 50 ms"
        );

        let err = Error::CapabilityDenied {
            plugin: "p".into(),
            capability: "dir data".into(),
        };
        assert_eq!(err.fault(), Fault::Embedder);
    }

    #[test]
    fn a_trap_shows_what_the_plugin_wrote_to_stderr() {
        let err = Error::Trap {
            plugin: "p".into(),
            message: "wasm trap: unreachable".into(),
            backtrace: None,
            stderr: "panicked at src/lib.rs:3:5:\nboom\n".into(),
        };
        assert!(err
            .to_string()
            .ends_with("(stderr: panicked at src/lib.rs:3:5:\nboom)"));
    }

    #[test]
    fn a_long_message_is_cut_with_a_marker_naming_its_length() {
        assert_eq!(bounded_message("short".into()), "short");
        let exact = "x".repeat(MAX_ERROR_MESSAGE_BYTES);
        assert_eq!(bounded_message(exact.clone()), exact);
        let huge = "e".repeat(50 << 20);
        let cut = bounded_message(huge);
        assert!(
            cut.ends_with("… [truncated, 52428800 bytes]"),
            "{}",
            &cut[4000..]
        );
        assert_eq!(
            cut.len(),
            MAX_ERROR_MESSAGE_BYTES + "… [truncated, 52428800 bytes]".len()
        );
        let wide = "é".repeat(MAX_ERROR_MESSAGE_BYTES);
        let cut = bounded_message(wide);
        assert!(cut.starts_with("éé"));
        assert!(cut.len() < MAX_ERROR_MESSAGE_BYTES + 40);
    }

    #[test]
    fn an_invalid_answer_names_the_plugin_and_the_field() {
        let err = Error::InvalidAnswer {
            plugin: "p".into(),
            field: "denial.status".into(),
            reason: "200 is not a client or server error status".into(),
        };
        assert_eq!(err.kind(), ErrorKind::InvalidAnswer);
        assert_eq!(err.fault(), Fault::Plugin);
        assert_eq!(
            err.to_string(),
            "plugin `p`: invalid answer: field `denial.status`: 200 is not a client or server \
             error status"
        );
    }

    /// One error of every variant, each naming the plugin `p`.
    fn one_of_each() -> Vec<Error> {
        let p = || "p".to_string();
        let io = || std::io::Error::new(std::io::ErrorKind::NotFound, "gone");
        vec![
            Error::Io {
                plugin: p(),
                path: "plugin.toml".into(),
                error: io(),
            },
            Error::Manifest {
                plugin: p(),
                message: "key `name`".into(),
            },
            Error::NotWasm {
                plugin: p(),
                detail: "text".into(),
            },
            Error::CoreModule {
                plugin: p(),
                reason: "no allocator".into(),
            },
            Error::InvalidComponent {
                plugin: p(),
                message: "cannot compile it".into(),
                source: Some(io().into()),
            },
            Error::WrongWorld {
                plugin: p(),
                kind: PluginKind::Auth,
                expected: vec!["a".into()],
                found: vec![],
                detail: String::new(),
            },
            Error::UnsupportedImport {
                plugin: p(),
                source: "wasi:sockets".into(),
            },
            Error::CapabilityDenied {
                plugin: p(),
                capability: "env HOME".into(),
            },
            Error::Trap {
                plugin: p(),
                message: "unreachable".into(),
                backtrace: None,
                stderr: String::new(),
            },
            Error::Timeout {
                plugin: p(),
                limit: Duration::from_millis(5),
            },
            Error::MemoryLimit {
                plugin: p(),
                limit_bytes: 1 << 20,
            },
            Error::Plugin {
                plugin: p(),
                error: PluginError::Internal("x".into()),
            },
            Error::Unsupported {
                plugin: p(),
                kind: PluginKind::Auth,
                operation: "respond",
            },
            Error::Capacity {
                plugin: p(),
                source: "full".into(),
            },
            Error::Host {
                plugin: p(),
                message: "join".into(),
                source: Some("panicked".into()),
            },
            Error::Unavailable {
                plugin: p(),
                reason: "refused".into(),
            },
            Error::Remote {
                plugin: p(),
                status: 500,
                message: "boom".into(),
            },
            Error::RemoteProtocol {
                plugin: p(),
                field: None,
                message: "not JSON".into(),
            },
            Error::InvalidAnswer {
                plugin: p(),
                field: "status".into(),
                reason: "99".into(),
            },
            Error::DigestMismatch {
                plugin: p(),
                expected: "a".into(),
                actual: "b".into(),
            },
            Error::Signature {
                plugin: p(),
                problem: SignatureProblem::NoManifestFile,
            },
        ]
    }

    #[test]
    fn every_variant_has_its_own_kind_a_fault_and_a_message_naming_the_plugin() {
        let errors = one_of_each();
        let kinds: Vec<ErrorKind> = errors.iter().map(Error::kind).collect();
        assert_eq!(
            kinds,
            ErrorKind::ALL,
            "one example per kind, in declaration order"
        );
        for error in &errors {
            assert_eq!(error.plugin(), "p");
            assert!(error.to_string().starts_with("plugin `p`"), "{error}");
            assert_eq!(error.fault(), error.kind().fault());
            let kind = serde_json::to_string(&error.kind()).unwrap();
            assert!(kind.len() > 2, "{kind}");
        }
        let embedder: Vec<_> = errors
            .iter()
            .filter(|e| e.fault() == Fault::Embedder)
            .collect();
        assert_eq!(embedder.len(), 3, "{embedder:?}");
    }

    #[test]
    fn a_cause_is_a_source_and_the_report_says_it_once() {
        use std::error::Error as _;
        let err = Error::io(
            "p",
            std::path::Path::new("plugin.toml"),
            std::io::Error::new(std::io::ErrorKind::NotFound, "No such file"),
        );
        assert_eq!(err.to_string(), "plugin `p`: cannot read plugin.toml");
        assert_eq!(err.source().unwrap().to_string(), "No such file");
        assert_eq!(
            err.report(),
            "plugin `p`: cannot read plugin.toml: No such file"
        );
        let host = Error::host_caused("p", "compiling failed", err);
        assert_eq!(
            host.report(),
            "plugin `p`: host failure: compiling failed: plugin `p`: cannot read plugin.toml: \
             No such file"
        );
    }

    /// An error that quotes its cause inside its own message and keeps it as its source too:
    /// the class of error that printed `cannot read out/plugin.toml: No such file or
    /// directory (os error 2): No such file or directory (os error 2)`.
    #[derive(Debug)]
    struct QuotesItsCause(std::io::Error);

    impl std::fmt::Display for QuotesItsCause {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "cannot read out/plugin.toml ({}) while loading", self.0)
        }
    }

    impl std::error::Error for QuotesItsCause {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn no_message_repeats_its_source_and_a_report_says_each_cause_once() {
        use std::error::Error as _;
        for error in one_of_each() {
            let Some(source) = error.source() else {
                continue;
            };
            let (own, cause) = (error.to_string(), source.to_string());
            assert!(!own.contains(&cause), "{own} repeats {cause}");
            assert_eq!(
                error.report().matches(&cause).count(),
                1,
                "{}",
                error.report()
            );
        }
        let missing = std::io::Error::from_raw_os_error(2);
        let quoting = QuotesItsCause(missing);
        let text = report(&quoting);
        assert_eq!(text.matches("os error 2").count(), 1, "{text}");
        let wrapped = Error::host_caused("p", "loading failed", quoting);
        let text = wrapped.report();
        assert_eq!(text.matches("os error 2").count(), 1, "{text}");
    }

    #[test]
    fn all_kinds_are_listed_once() {
        let mut kinds = ErrorKind::ALL.to_vec();
        kinds.sort();
        kinds.dedup();
        assert_eq!(kinds.len(), ErrorKind::ALL.len());
    }
}
