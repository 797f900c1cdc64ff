//! Plugin answers are validated here, in one place for every backend: a WebAssembly
//! component, a legacy core module wrapped by the adapters (a component by then), and a remote
//! plugin. Whatever a plugin answers, what reaches the embedder is valid HTTP and bounded:
//!
//! - a response's status is 100-599; a denial's is 400-599 (a denial is a client or server
//!   error: a success, redirect or informational status would let the request through or
//!   confuse the client);
//! - a header name is an HTTP token (RFC 9110 `tchar` only, not empty); a header value has no
//!   control character but horizontal tab (so no CR, LF or NUL: no header injection);
//!   the number of headers and their total size are capped;
//! - a body is within [`AnswerLimits::max_body_bytes`];
//! - a denial's reason is within [`AnswerLimits::max_reason_bytes`];
//! - an identity has a non-empty subject; its texts (subject, username, e-mail, display name,
//!   roles, groups, claim names) have no control characters; claim names are not empty; its
//!   claims are one JSON object (a contract-0.1 plugin's list of name and JSON text pairs is
//!   written as one here, refusing a value that is not JSON and a name given twice), checked
//!   in one pass without being built (`claims_text`) and kept as the plugin's text (a 0.2
//!   text that repeats a name is read into a map at once: first place, last value); its
//!   entries (roles, groups and claims together) and its total size are capped.
//!
//! A violation is [`Error::InvalidAnswer`](crate::Error::InvalidAnswer), naming the plugin and
//! the field.

mod claims_text;

use crate::error::Error;
use crate::types::{AuthOutcome, Claims, Denial, Identity, Response};

/// Default [`AnswerLimits::max_body_bytes`]: 16 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 16 << 20;
/// Default [`AnswerLimits::max_headers`]: 256.
pub const DEFAULT_MAX_HEADERS: usize = 256;
/// Default [`AnswerLimits::max_header_bytes`]: 64 KiB.
pub const DEFAULT_MAX_HEADER_BYTES: usize = 64 << 10;
/// Default [`AnswerLimits::max_reason_bytes`]: 4 KiB.
pub const DEFAULT_MAX_REASON_BYTES: usize = 4 << 10;
/// Default [`AnswerLimits::max_identity_bytes`]: 64 KiB.
pub const DEFAULT_MAX_IDENTITY_BYTES: usize = 64 << 10;
/// Default [`AnswerLimits::max_identity_entries`]: 1,024.
pub const DEFAULT_MAX_IDENTITY_ENTRIES: usize = 1024;

/// What the host accepts in a plugin's answer; anything beyond is an
/// [`Error::InvalidAnswer`](crate::Error::InvalidAnswer). Set with
/// [`HostConfig::answer_limits`](crate::HostConfig::answer_limits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerLimits {
    /// The longest response body, in bytes. Default [`DEFAULT_MAX_BODY_BYTES`].
    pub max_body_bytes: usize,
    /// The most headers in one response or denial. Default [`DEFAULT_MAX_HEADERS`].
    pub max_headers: usize,
    /// The most bytes of header names and values together in one response or denial.
    /// Default [`DEFAULT_MAX_HEADER_BYTES`].
    pub max_header_bytes: usize,
    /// The longest denial reason, in bytes. Default [`DEFAULT_MAX_REASON_BYTES`].
    pub max_reason_bytes: usize,
    /// The most bytes of text in one identity (every field, role, group, claim name and
    /// claim value together). Default [`DEFAULT_MAX_IDENTITY_BYTES`].
    pub max_identity_bytes: usize,
    /// The most roles, groups and claims together in one identity. Default
    /// [`DEFAULT_MAX_IDENTITY_ENTRIES`].
    pub max_identity_entries: usize,
}

impl Default for AnswerLimits {
    fn default() -> Self {
        Self {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_headers: DEFAULT_MAX_HEADERS,
            max_header_bytes: DEFAULT_MAX_HEADER_BYTES,
            max_reason_bytes: DEFAULT_MAX_REASON_BYTES,
            max_identity_bytes: DEFAULT_MAX_IDENTITY_BYTES,
            max_identity_entries: DEFAULT_MAX_IDENTITY_ENTRIES,
        }
    }
}

/// What is wrong with an answer: the field, as a path (`denial.headers[1].value`), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Violation {
    pub(crate) field: String,
    pub(crate) reason: String,
}

fn violation(field: impl Into<String>, reason: impl Into<String>) -> Violation {
    Violation {
        field: field.into(),
        reason: reason.into(),
    }
}

/// An answer of some operation, checkable against [`AnswerLimits`].
pub(crate) trait PluginAnswer {
    /// What is wrong with the answer, if anything.
    fn violation(&self, limits: &AnswerLimits) -> Option<Violation>;
}

impl PluginAnswer for AuthOutcome {
    fn violation(&self, limits: &AnswerLimits) -> Option<Violation> {
        limits.check_outcome(self).err()
    }
}

impl PluginAnswer for Response {
    fn violation(&self, limits: &AnswerLimits) -> Option<Violation> {
        limits.check_response(self).err()
    }
}

impl PluginAnswer for Option<Response> {
    fn violation(&self, limits: &AnswerLimits) -> Option<Violation> {
        self.as_ref()
            .and_then(|response| response.violation(limits))
    }
}

impl AnswerLimits {
    /// `answer` when it is valid, else [`Error::InvalidAnswer`] naming `plugin` and the field.
    /// Every backend's answers pass through here before they reach the embedder.
    pub(crate) fn check<A: PluginAnswer>(&self, plugin: &str, answer: A) -> Result<A, Error> {
        match answer.violation(self) {
            None => Ok(answer),
            Some(Violation { field, reason }) => Err(Error::InvalidAnswer {
                plugin: plugin.to_owned(),
                field,
                reason,
            }),
        }
    }

    /// Checks an auth plugin's verdict.
    pub(crate) fn check_outcome(&self, outcome: &AuthOutcome) -> Result<(), Violation> {
        match outcome {
            AuthOutcome::Allow(identity) => self.check_identity(identity),
            AuthOutcome::Deny(denial) => self.check_denial(denial),
            AuthOutcome::Abstain => Ok(()),
        }
    }

    /// An identity's claims from one JSON object as text (contract 0.2); an empty text is no
    /// claims. The text is capped, then checked in one pass without building the object: it
    /// must be one object that `serde_json` reads as a `Value`, with claim names that are not
    /// empty and have no control characters. The claims keep the text, unless a name is
    /// given twice: then they are read now into a map (first place, last value, as a JWT's
    /// repeated claim is read), so that every later reader sees the same claims.
    pub(crate) fn claims_from_text(&self, text: String) -> Result<Claims, Violation> {
        if text.trim().is_empty() {
            return Ok(Claims::new());
        }
        self.check_claims_size(text.len())?;
        match claims_text::check_object(&text)? {
            claims_text::Members::Distinct(members) => Ok(Claims::from_checked_text(text, members)),
            claims_text::Members::Repeated => serde_json::from_str::<Claims>(&text)
                .map_err(|err| violation("identity.claims", format!("not JSON text: {err}"))),
        }
    }

    /// An identity's claims from name and JSON text pairs (contract 0.1), written as one
    /// object. A value must be JSON text as `serde_json` reads a `Value`; names are checked as
    /// [`AnswerLimits::claims_from_text`] checks them.
    pub(crate) fn claims_from_pairs(
        &self,
        pairs: Vec<(String, String)>,
    ) -> Result<Claims, Violation> {
        let bytes = pairs.iter().map(|(n, v)| n.len() + v.len()).sum();
        self.check_claims_size(bytes)?;
        claims_text::check_names(pairs.iter().map(|(name, _)| name.as_str()))?;
        let mut names: Vec<&str> = pairs.iter().map(|(name, _)| name.as_str()).collect();
        if let Some(name) = claims_text::first_repeated(&mut names) {
            return Err(violation(
                format!("identity.claims.{}", name.escape_debug()),
                format!("`{}` is given twice", name.escape_debug()),
            ));
        }
        let mut text = String::with_capacity(bytes + 4 * pairs.len() + 2);
        text.push('{');
        for (i, (name, value)) in pairs.iter().enumerate() {
            claims_text::check_value(value).map_err(|err| {
                violation(
                    format!("identity.claims[{i}].value"),
                    format!("not JSON text: {err}"),
                )
            })?;
            if i > 0 {
                text.push(',');
            }
            claims_text::push_name(&mut text, name);
            text.push(':');
            text.push_str(value);
        }
        text.push('}');
        Ok(Claims::from_checked_text(text, pairs.len()))
    }

    fn check_claims_size(&self, bytes: usize) -> Result<(), Violation> {
        if bytes > self.max_identity_bytes {
            return Err(violation(
                "identity.claims",
                format!(
                    "{bytes} bytes, over the identity cap of {} bytes",
                    self.max_identity_bytes
                ),
            ));
        }
        Ok(())
    }

    /// Checks a response produced or modified by a response plugin.
    pub(crate) fn check_response(&self, response: &Response) -> Result<(), Violation> {
        if !(100..=599).contains(&response.status) {
            return Err(violation(
                "response.status",
                format!("{} is not an HTTP status (100-599)", response.status),
            ));
        }
        self.check_headers(&response.headers, "response.headers")?;
        if response.body.len() > self.max_body_bytes {
            return Err(violation(
                "response.body",
                format!(
                    "{} bytes, over the cap of {} bytes",
                    response.body.len(),
                    self.max_body_bytes
                ),
            ));
        }
        Ok(())
    }

    fn check_denial(&self, denial: &Denial) -> Result<(), Violation> {
        if !(400..=599).contains(&denial.status) {
            return Err(violation(
                "denial.status",
                format!(
                    "{} is not a client or server error status (a denial is 400-599)",
                    denial.status
                ),
            ));
        }
        if denial.reason.len() > self.max_reason_bytes {
            return Err(violation(
                "denial.reason",
                format!(
                    "{} bytes, over the cap of {} bytes",
                    denial.reason.len(),
                    self.max_reason_bytes
                ),
            ));
        }
        self.check_headers(&denial.headers, "denial.headers")
    }

    fn check_headers(&self, headers: &[(String, String)], field: &str) -> Result<(), Violation> {
        if headers.len() > self.max_headers {
            return Err(violation(
                field,
                format!(
                    "{} headers, over the cap of {}",
                    headers.len(),
                    self.max_headers
                ),
            ));
        }
        let total: usize = headers.iter().map(|(n, v)| n.len() + v.len()).sum();
        if total > self.max_header_bytes {
            return Err(violation(
                field,
                format!(
                    "{total} bytes of names and values, over the cap of {} bytes",
                    self.max_header_bytes
                ),
            ));
        }
        for (i, (name, value)) in headers.iter().enumerate() {
            if name.is_empty() {
                return Err(violation(format!("{field}[{i}].name"), "empty"));
            }
            if let Some(bad) = name.bytes().find(|&b| !is_tchar(b)) {
                return Err(violation(
                    format!("{field}[{i}].name"),
                    format!(
                        "{} is not allowed in an HTTP header name",
                        describe_byte(bad)
                    ),
                ));
            }
            if let Some(bad) = value.bytes().find(|&b| is_control(b) && b != b'\t') {
                return Err(violation(
                    format!("{field}[{i}].value"),
                    format!(
                        "{} is not allowed in an HTTP header value",
                        describe_byte(bad)
                    ),
                ));
            }
        }
        Ok(())
    }

    fn check_identity(&self, identity: &Identity) -> Result<(), Violation> {
        if identity.subject.is_empty() {
            return Err(violation("identity.subject", "empty"));
        }
        let entries = identity.roles.len() + identity.groups.len() + identity.claims.len();
        if entries > self.max_identity_entries {
            return Err(violation(
                "identity",
                format!(
                    "{entries} roles, groups and claims, over the cap of {}",
                    self.max_identity_entries
                ),
            ));
        }
        let total = identity_bytes(identity);
        if total > self.max_identity_bytes {
            return Err(violation(
                "identity",
                format!(
                    "{total} bytes of text, over the cap of {} bytes",
                    self.max_identity_bytes
                ),
            ));
        }
        clean_text(|| "identity.subject".into(), &identity.subject)?;
        let optional = [
            ("identity.username", &identity.username),
            ("identity.email", &identity.email),
            ("identity.display_name", &identity.display_name),
        ];
        for (field, value) in optional {
            if let Some(value) = value {
                clean_text(|| field.into(), value)?;
            }
        }
        for (i, role) in identity.roles.iter().enumerate() {
            clean_text(|| format!("identity.roles[{i}]"), role)?;
        }
        for (i, group) in identity.groups.iter().enumerate() {
            clean_text(|| format!("identity.groups[{i}]"), group)?;
        }
        // Claims still held as a plugin's text had their names checked when it was read.
        if identity.claims.checked_text().is_none() {
            claims_text::check_names(identity.claims.keys().map(String::as_str))?;
        }
        Ok(())
    }
}

/// The length of `claims` as text: the plugin's text when they are held as it, else written
/// as compact JSON, counted without allocating.
fn claims_bytes(claims: &Claims) -> usize {
    if let Some(text) = claims.checked_text() {
        return text.len();
    }
    if claims.is_empty() {
        return 0;
    }
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // Writing a map of JSON values into a counter cannot fail.
    let _ = serde_json::to_writer(&mut count, claims);
    count.0
}

/// Fails naming `field` when `value` holds a control character.
fn clean_text(field: impl FnOnce() -> String, value: &str) -> Result<(), Violation> {
    match value.bytes().find(|&b| is_control(b)) {
        Some(bad) => Err(violation(
            field(),
            format!("{} is not allowed", describe_byte(bad)),
        )),
        None => Ok(()),
    }
}

/// The bytes of text in `identity`, every field, role, group and claim counted.
fn identity_bytes(identity: &Identity) -> usize {
    let optional = [&identity.username, &identity.email, &identity.display_name];
    identity.subject.len()
        + optional
            .iter()
            .filter_map(|v| v.as_ref())
            .map(String::len)
            .sum::<usize>()
        + identity.roles.iter().map(String::len).sum::<usize>()
        + identity.groups.iter().map(String::len).sum::<usize>()
        + claims_bytes(&identity.claims)
}

/// RFC 9110 `tchar`: the characters of a token, such as a header name.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// An ASCII control character (C0 or DEL).
fn is_control(b: u8) -> bool {
    b < 0x20 || b == 0x7f
}

fn describe_byte(b: u8) -> String {
    match b {
        b'\r' => "CR".into(),
        b'\n' => "LF".into(),
        0 => "NUL".into(),
        b if b.is_ascii_graphic() || b == b' ' => format!("{:?}", b as char),
        b => format!("byte 0x{b:02x}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> AnswerLimits {
        AnswerLimits::default()
    }

    fn response(status: u16, headers: &[(&str, &str)]) -> Response {
        Response {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: b"x".to_vec(),
        }
    }

    fn denial(status: u16, headers: &[(&str, &str)]) -> AuthOutcome {
        AuthOutcome::Deny(Denial {
            status,
            reason: "no".into(),
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
        })
    }

    fn identity(edit: impl FnOnce(&mut Identity)) -> AuthOutcome {
        let mut identity = Identity {
            subject: "alice".into(),
            ..Identity::default()
        };
        edit(&mut identity);
        AuthOutcome::Allow(identity)
    }

    fn field_of(result: Result<(), Violation>) -> String {
        result.expect_err("a violation").field
    }

    #[test]
    fn a_response_status_is_100_to_599() {
        for good in [100, 200, 204, 301, 404, 599] {
            assert_eq!(
                limits().check_response(&response(good, &[])),
                Ok(()),
                "{good}"
            );
        }
        for bad in [0, 1, 99, 600, 999, 65535] {
            let err = limits().check_response(&response(bad, &[])).unwrap_err();
            assert_eq!(err.field, "response.status");
            assert!(err.reason.contains(&bad.to_string()), "{}", err.reason);
        }
    }

    #[test]
    fn a_denial_status_is_400_to_599() {
        for good in [400, 401, 403, 429, 500, 503, 599] {
            assert_eq!(limits().check_outcome(&denial(good, &[])), Ok(()), "{good}");
        }
        for bad in [0, 100, 101, 199, 200, 204, 302, 399, 600, 999, 65535] {
            assert_eq!(
                field_of(limits().check_outcome(&denial(bad, &[]))),
                "denial.status",
                "{bad}"
            );
        }
    }

    #[test]
    fn header_names_are_tokens() {
        let good = "Ab0!#$%&'*+-.^_`|~z";
        assert_eq!(
            limits().check_response(&response(200, &[(good, "v")])),
            Ok(())
        );
        let bad = [
            "",
            "a b",
            "a:b",
            "a\r\nX-Evil",
            "a\0",
            "é",
            "a\"",
            "(a)",
            "a/b",
            "a\t",
            "a@b",
        ];
        for name in bad {
            let err = limits()
                .check_response(&response(200, &[("ok", "v"), (name, "v")]))
                .unwrap_err();
            assert_eq!(err.field, "response.headers[1].name", "{name:?}");
            assert_eq!(
                field_of(limits().check_outcome(&denial(401, &[(name, "v")]))),
                "denial.headers[0].name",
                "{name:?}"
            );
        }
        let empty = limits().check_response(&response(200, &[("", "v")]));
        assert_eq!(empty.unwrap_err().reason, "empty");
    }

    #[test]
    fn header_values_have_no_cr_lf_nul_or_other_controls() {
        let good = [
            "",
            "plain",
            "with\ttab",
            " spaced ",
            "Jürgen 😀",
            "a=\"b\"; c",
        ];
        for value in good {
            assert_eq!(
                limits().check_response(&response(200, &[("x", value)])),
                Ok(()),
                "{value:?}"
            );
        }
        let bad = [
            "a\r\nX-Evil: 1",
            "a\r",
            "a\n",
            "nul\0",
            "\x01",
            "del\x7f",
            "\x1b[31m",
        ];
        for value in bad {
            let err = limits()
                .check_response(&response(200, &[("x", value)]))
                .unwrap_err();
            assert_eq!(err.field, "response.headers[0].value", "{value:?}");
            assert_eq!(
                field_of(limits().check_outcome(&denial(401, &[("x", value)]))),
                "denial.headers[0].value"
            );
        }
        let crlf = limits().check_response(&response(200, &[("x", "a\r\nX-Evil: 1")]));
        assert!(crlf.unwrap_err().reason.starts_with("CR "));
    }

    #[test]
    fn headers_are_capped_in_number_and_size() {
        let caps = AnswerLimits {
            max_headers: 2,
            max_header_bytes: 10,
            ..limits()
        };
        assert_eq!(
            caps.check_response(&response(200, &[("a", "1"), ("b", "2")])),
            Ok(())
        );
        let three = caps.check_response(&response(200, &[("a", "1"), ("b", "2"), ("c", "3")]));
        assert_eq!(three.unwrap_err().field, "response.headers");
        assert_eq!(
            caps.check_response(&response(200, &[("abcde", "12345")])),
            Ok(())
        );
        let big = caps.check_response(&response(200, &[("abcde", "123456")]));
        assert!(big.unwrap_err().reason.contains("11 bytes"));
        let many: Vec<(&str, &str)> = vec![("a", "1"); DEFAULT_MAX_HEADERS + 1];
        assert_eq!(
            field_of(limits().check_outcome(&denial(401, &many))),
            "denial.headers"
        );
    }

    #[test]
    fn a_body_is_within_its_cap() {
        let caps = AnswerLimits {
            max_body_bytes: 4,
            ..limits()
        };
        let mut resp = response(200, &[]);
        resp.body = vec![0; 4];
        assert_eq!(caps.check_response(&resp), Ok(()));
        resp.body.push(0);
        let err = caps.check_response(&resp).unwrap_err();
        assert_eq!(err.field, "response.body");
        assert_eq!(err.reason, "5 bytes, over the cap of 4 bytes");
        assert_eq!(limits().max_body_bytes, 16 << 20);
    }

    #[test]
    fn a_denial_reason_is_within_its_cap() {
        let AuthOutcome::Deny(mut long) = denial(401, &[]) else {
            unreachable!()
        };
        long.reason = "r".repeat(DEFAULT_MAX_REASON_BYTES);
        assert_eq!(
            limits().check_outcome(&AuthOutcome::Deny(long.clone())),
            Ok(())
        );
        long.reason.push('r');
        assert_eq!(
            field_of(limits().check_outcome(&AuthOutcome::Deny(long))),
            "denial.reason"
        );
    }

    #[test]
    fn an_identity_is_sane() {
        let full = identity(|i| {
            i.username = Some("alice".into());
            i.email = Some("a@example.com".into());
            i.display_name = Some("Alice Ärger 😀".into());
            i.roles = vec!["admin".into()];
            i.groups = vec!["staff".into()];
            i.claims =
                serde_json::from_str(r#"{"n":1,"s":"line\nbreak \u007f","o":{"a":[1,null]}}"#)
                    .unwrap();
        });
        assert_eq!(limits().check_outcome(&full), Ok(()));

        let cases: Vec<(AuthOutcome, &str)> = vec![
            (identity(|i| i.subject.clear()), "identity.subject"),
            (
                identity(|i| i.subject = "a\r\nb".into()),
                "identity.subject",
            ),
            (identity(|i| i.subject = "a\0".into()), "identity.subject"),
            (
                identity(|i| i.username = Some("\n".into())),
                "identity.username",
            ),
            (
                identity(|i| i.email = Some("\x7f".into())),
                "identity.email",
            ),
            (
                identity(|i| i.display_name = Some("\x1b".into())),
                "identity.display_name",
            ),
            (
                identity(|i| i.roles = vec!["ok".into(), "a\nb".into()]),
                "identity.roles[1]",
            ),
            (
                identity(|i| i.groups = vec!["\0".into()]),
                "identity.groups[0]",
            ),
            (
                identity(|i| i.claims = claims(r#"{"": 1}"#)),
                "identity.claims",
            ),
            (
                identity(|i| i.claims = claims(r#"{"a\nb": 1}"#)),
                "identity.claims.a\\nb",
            ),
        ];
        for (outcome, field) in cases {
            assert_eq!(field_of(limits().check_outcome(&outcome)), field);
        }
    }

    #[test]
    fn an_identity_is_capped_in_entries_and_size() {
        let caps = AnswerLimits {
            max_identity_entries: 3,
            max_identity_bytes: 20,
            ..limits()
        };
        let three = identity(|i| {
            i.roles = vec!["r".into()];
            i.groups = vec!["g".into()];
            i.claims = claims(r#"{"c":1}"#);
        });
        assert_eq!(caps.check_outcome(&three), Ok(()));
        let four = identity(|i| i.roles = vec!["r".into(); 4]);
        let err = caps.check_outcome(&four).unwrap_err();
        assert_eq!(err.field, "identity");
        assert!(
            err.reason.contains("4 roles, groups and claims"),
            "{}",
            err.reason
        );
        // "alice" (5) + "0123" (4) + `{"c":12345}` (11) = 20 bytes: at the cap; one more is over.
        let at_cap = identity(|i| {
            i.display_name = Some("0123".into());
            i.claims = claims(r#"{"c":12345}"#);
        });
        assert_eq!(caps.check_outcome(&at_cap), Ok(()));
        let big = identity(|i| {
            i.display_name = Some("01234".into());
            i.claims = claims(r#"{"c":12345}"#);
        });
        let err = caps.check_outcome(&big).unwrap_err();
        assert_eq!(err.field, "identity");
        assert!(err.reason.starts_with("21 bytes"), "{}", err.reason);
    }

    fn claims(text: &str) -> Claims {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn claims_as_text_must_be_one_bounded_json_object() {
        let limits = AnswerLimits {
            max_identity_bytes: 32,
            ..limits()
        };
        let read = limits.claims_from_text(r#"{"a": [1,2]}"#.into()).unwrap();
        assert_eq!(read, claims(r#"{"a":[1,2]}"#));
        // Kept as the plugin's text, which is what an identity's size counts.
        assert_eq!(read.to_json_text(), r#"{"a": [1,2]}"#);
        assert_eq!(claims_bytes(&read), 12);
        assert_eq!(limits.claims_from_text(" ".into()), Ok(Claims::new()));
        // A name given twice: first place, last value, read into a map at once.
        let repeated = limits
            .claims_from_text(r#"{"a":1,"b":2,"a":3}"#.into())
            .unwrap();
        assert_eq!(repeated.to_json_text(), r#"{"a":3,"b":2}"#);
        assert_eq!(repeated.len(), 2);
        for (text, reason) in [
            ("[1]", "not a JSON object but an array"),
            ("\"x\"", "not a JSON object but a string"),
            ("{", "not JSON text"),
            (
                r#"{"a":"0123456789012345678901234567"}"#,
                "over the identity cap of 32 bytes",
            ),
        ] {
            let err = limits.claims_from_text(text.into()).unwrap_err();
            assert!(err.field.starts_with("identity.claims"), "{text}");
            assert!(err.reason.contains(reason), "{text}: {}", err.reason);
        }
    }

    #[test]
    fn claims_as_pairs_become_one_object() {
        let pairs = |list: &[(&str, &str)]| {
            list.iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        };
        let read = limits()
            .claims_from_pairs(pairs(&[("n", "1"), ("o\"q", r#" {"a":null}"#)]))
            .unwrap();
        assert_eq!(read, claims(r#"{"n":1,"o\"q":{"a":null}}"#));
        assert_eq!(read.len(), 2);
        assert_eq!(read.to_json_text(), r#"{"n":1,"o\"q": {"a":null}}"#);
        let err = limits()
            .claims_from_pairs(pairs(&[("a", "1"), ("b", "nope")]))
            .unwrap_err();
        assert_eq!(err.field, "identity.claims[1].value");
        let err = limits()
            .claims_from_pairs(pairs(&[("a", "1"), ("a", "2")]))
            .unwrap_err();
        assert_eq!(err.field, "identity.claims.a");
        assert!(err.reason.contains("given twice"), "{}", err.reason);
        let err = limits()
            .claims_from_pairs(pairs(&[("a\u{1b}", "1")]))
            .unwrap_err();
        assert_eq!(err.field, "identity.claims.a\\u{1b}");
        let err = limits().claims_from_pairs(pairs(&[("a", "")])).unwrap_err();
        assert_eq!(err.field, "identity.claims[0].value");
    }
}
