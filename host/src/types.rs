//! The values plugins return, as the embedder sees them. They mirror the WIT `types` interface;
//! the generated bindings (and the conversions from them, in `component::bindings`) stay
//! private so that they can change without breaking embedders.

use std::fmt;

use mockforge_component_adapters::contract::ContractVersion;
use serde::{Deserialize, Serialize};

/// What a plugin does, as declared by its manifest and checked against its exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PluginKind {
    /// Exports `mockforge:plugin/auth`.
    Auth,
    /// Exports `mockforge:plugin/responder`.
    Response,
    /// Exports both.
    Both,
}

impl PluginKind {
    /// Whether plugins of this kind authenticate requests.
    pub fn authenticates(self) -> bool {
        matches!(self, Self::Auth | Self::Both)
    }

    /// Whether plugins of this kind produce responses.
    pub fn responds(self) -> bool {
        matches!(self, Self::Response | Self::Both)
    }

    /// The WIT world a plugin of this kind implements at contract version `version`.
    pub fn world(self, version: ContractVersion) -> &'static str {
        match self {
            Self::Auth => version.auth_world(),
            Self::Response => version.response_world(),
            Self::Both => version.plugin_world(),
        }
    }
}

impl fmt::Display for PluginKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Auth => "auth",
            Self::Response => "response",
            Self::Both => "auth and response",
        })
    }
}

/// The verdict of an auth plugin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "outcome")]
pub enum AuthOutcome {
    /// The request is authenticated as this identity.
    Allow(Identity),
    /// The request is refused.
    Deny(Denial),
    /// Not this plugin's scheme: an auth chain goes on to its next plugin; when every plugin
    /// abstains, the embedder decides. Plugins of contract 0.1 never abstain.
    Abstain,
}

/// Who a request is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// A stable identifier of the principal.
    pub subject: String,
    /// A login or user name.
    pub username: Option<String>,
    /// An e-mail address.
    pub email: Option<String>,
    /// A human-readable name.
    pub display_name: Option<String>,
    /// Roles granted.
    pub roles: Vec<String>,
    /// Groups the principal belongs to.
    pub groups: Vec<String>,
    /// Further claims: one JSON object (a contract-0.1 plugin's list of name and JSON text
    /// pairs arrives as this object too).
    #[serde(default)]
    pub claims: Claims,
}

pub use crate::claims::Claims;

impl Identity {
    /// The value of claim `name`; `None` when absent.
    pub fn claim(&self, name: &str) -> Option<&serde_json::Value> {
        self.claims.get(name)
    }
}

/// Why a request was refused and how to answer it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Denial {
    /// The HTTP status to answer with.
    pub status: u16,
    /// A short human-readable reason.
    pub reason: String,
    /// Headers to add to the refusal, such as `WWW-Authenticate`.
    pub headers: Vec<(String, String)>,
}

/// An HTTP response produced or modified by a response plugin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Headers in order; duplicates are kept.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl Response {
    /// The first value of header `name`, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A failure a plugin reported itself. Its message reaches the caller intact up to
/// [`MAX_ERROR_MESSAGE_BYTES`](crate::MAX_ERROR_MESSAGE_BYTES); a longer one is cut and ends
/// with a marker giving its whole length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "message")]
pub enum PluginError {
    /// The plugin's configuration is missing a value or holds a bad one.
    InvalidConfig(String),
    /// The request cannot be processed by this plugin.
    InvalidRequest(String),
    /// Any other failure inside the plugin.
    Internal(String),
}

impl fmt::Display for PluginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidConfig(message) => write!(f, "invalid configuration: {message}"),
            Self::InvalidRequest(message) => write!(f, "invalid request: {message}"),
            Self::Internal(message) => write!(f, "internal error: {message}"),
        }
    }
}

impl std::error::Error for PluginError {}
