/// What the request's `Authorization` header holds, as far as this plugin is concerned.
#[derive(Debug, PartialEq, Eq)]
pub enum Credential<'a> {
    /// No header, an empty one, or another scheme (`Basic ...`): not this plugin's business.
    Absent,
    /// The `Bearer` scheme with no token after it.
    Empty,
    /// The token of `Bearer <token>`.
    Token(&'a str),
}

/// Reads the first `Authorization` header's value (`None` when there is none).
///
/// The value is trimmed (Unicode whitespace); the scheme is what comes before the first
/// space, compared case-insensitively (RFC 7235), or the whole value when it has no space; the
/// token is the rest, trimmed.
pub fn credential(header: Option<&str>) -> Credential<'_> {
    let Some(value) = header else {
        return Credential::Absent;
    };
    let value = value.trim();
    let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Credential::Absent;
    }
    match token.trim() {
        "" => Credential::Empty,
        token => Credential::Token(token),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_schemes_and_no_header_are_absent() {
        for header in [
            None,
            Some(""),
            Some("   "),
            Some("Basic dXNlcjpwYXNz"),
            Some("Bearer\tabc"),
            Some("Bearerabc"),
            Some("Token abc"),
        ] {
            assert_eq!(credential(header), Credential::Absent, "{header:?}");
        }
    }

    #[test]
    fn the_bearer_scheme_without_a_token_is_empty() {
        for header in ["Bearer", "bearer   ", " BEARER \u{3000}"] {
            assert_eq!(credential(Some(header)), Credential::Empty, "{header:?}");
        }
    }

    #[test]
    fn the_token_is_trimmed() {
        assert_eq!(
            credential(Some("\u{3000} bEaReR   a.b.c\u{a0}")),
            Credential::Token("a.b.c")
        );
        assert_eq!(credential(Some("Bearer a b")), Credential::Token("a b"));
    }
}
