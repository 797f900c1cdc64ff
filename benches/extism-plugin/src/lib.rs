//! The trivial auth plugin for Extism: the logic of guests/rust/plugins/auth-trivial (allow a
//! request whose `authorization` header is exactly `Bearer good`, deny every other with 401),
//! with Extism's calling convention: the request comes in as JSON bytes and the outcome goes
//! out as JSON bytes.
//!
//! Input: `{"method": "GET", "path": "/", "headers": [["name", "value"], ...]}`.
//! Output: `{"allow": {"subject": "good"}}` or `{"deny": {"status": 401, "reason": "denied"}}`.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// The request as the host sends it. Strings are borrowed from the input where JSON allows it
/// (no escapes), so the plugin copies no more than it has to.
#[derive(Deserialize)]
struct AuthRequest<'a> {
    /// The method, as sent; read for the shape only.
    #[serde(borrow)]
    #[allow(dead_code)]
    method: Cow<'a, str>,
    /// The path, as sent; read for the shape only.
    #[serde(borrow)]
    #[allow(dead_code)]
    path: Cow<'a, str>,
    /// Every header in the order received, as name and value pairs.
    #[serde(borrow)]
    headers: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

impl AuthRequest<'_> {
    /// The first value of header `name` (case-insensitive), as the host's `header` answers.
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }
}

/// The verdict, as auth-trivial gives it: subject `good`, or 401 `denied`.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
enum AuthOutcome {
    /// The request is authenticated as `subject`.
    Allow {
        /// Who the request is.
        subject: &'static str,
    },
    /// The request is refused with `status`.
    Deny {
        /// The HTTP status to answer with.
        status: u16,
        /// Why.
        reason: &'static str,
    },
}

/// The verdict on the request in `input` (JSON).
fn authenticate(input: &[u8]) -> Result<AuthOutcome, serde_json::Error> {
    let request: AuthRequest<'_> = serde_json::from_slice(input)?;
    Ok(match request.header("authorization") {
        Some("Bearer good") => AuthOutcome::Allow { subject: "good" },
        _ => AuthOutcome::Deny {
            status: 401,
            reason: "denied",
        },
    })
}

/// The plugin's one export, `authenticate`: JSON request in, JSON outcome out.
pub mod exports {
    // `#[plugin_fn]` replaces the function with an `extern "C"` wrapper and drops its doc
    // comment, so the missing-docs lint cannot be met on it.
    #![allow(missing_docs)]

    use extism_pdk::{plugin_fn, FnResult, Json};

    use super::AuthOutcome;

    #[plugin_fn]
    pub fn authenticate(input: Vec<u8>) -> FnResult<Json<AuthOutcome>> {
        Ok(Json(super::authenticate(&input)?))
    }
}
