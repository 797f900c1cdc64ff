//! What the Extism peer sends and receives: the request as JSON (method, path, headers as a
//! list of name and value pairs) and the outcome as JSON, as benches/extism-plugin reads and
//! writes them. An Extism plugin takes bytes and returns bytes, so an embedder that starts from
//! a request and wants an outcome pays for this encoding on every call; the bench times it
//! inside the Extism rows and alone in `extism_json_codec`.

use mockforge_component_host::{AuthOutcome, Denial, Identity, Request};
use serde::{Deserialize, Serialize};

/// The request on the wire, borrowed from the host's request.
#[derive(Serialize)]
struct WireRequest<'a> {
    method: &'a str,
    path: &'a str,
    headers: &'a mockforge_component_host::Headers,
}

/// The outcome on the wire.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum WireOutcome {
    Allow { subject: String },
    Deny { status: u16, reason: String },
}

/// `request` as the plugin's JSON input.
pub fn encode(request: &Request) -> serde_json::Result<Vec<u8>> {
    serde_json::to_vec(&WireRequest {
        method: &request.method,
        path: &request.path,
        headers: &request.headers,
    })
}

/// The plugin's JSON output as the host's outcome.
pub fn decode(output: &[u8]) -> serde_json::Result<AuthOutcome> {
    Ok(match serde_json::from_slice(output)? {
        WireOutcome::Allow { subject } => AuthOutcome::Allow(Identity {
            subject,
            ..Identity::default()
        }),
        WireOutcome::Deny { status, reason } => AuthOutcome::Deny(Denial {
            status,
            reason,
            headers: Vec::new(),
        }),
    })
}
