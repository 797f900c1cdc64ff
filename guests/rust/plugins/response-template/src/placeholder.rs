use mockforge_component_sdk::PluginError;

/// What a `{{...}}` placeholder of the template stands for.
#[derive(Debug, PartialEq, Eq)]
pub enum Placeholder<'a> {
    /// `{{path}}`: the request's path as sent.
    Path,
    /// `{{method}}`: the request's method.
    Method,
    /// `{{now}}`: the time of the response, RFC 3339 UTC.
    Now,
    /// `{{now_unix}}`: the time of the response, seconds since the Unix epoch.
    NowUnix,
    /// `{{uuid}}`: a random v4 UUID, the same one throughout a response.
    Uuid,
    /// `{{path.NAME}}`: a path parameter of the matched route.
    PathParam(&'a str),
    /// `{{query.NAME}}`: a query parameter, percent-decoded.
    Query(&'a str),
    /// `{{header.NAME}}`: a header, compared case-insensitively.
    Header(&'a str),
    /// `{{identity.subject}}`.
    Subject,
    /// `{{identity.username}}`.
    Username,
    /// `{{identity.claims.NAME}}`: a top-level claim of the identity.
    Claim(&'a str),
}

impl<'a> Placeholder<'a> {
    /// The placeholder `name` (the text between the braces, trimmed); an unknown one is an
    /// `invalid-config` error naming it.
    pub fn parse(name: &'a str) -> Result<Self, PluginError> {
        Ok(match name {
            "path" => Self::Path,
            "method" => Self::Method,
            "now" => Self::Now,
            "now_unix" => Self::NowUnix,
            "uuid" => Self::Uuid,
            "identity.subject" => Self::Subject,
            "identity.username" => Self::Username,
            _ => {
                if let Some(claim) = name.strip_prefix("identity.claims.") {
                    return Ok(Self::Claim(claim));
                }
                match name.split_once('.') {
                    Some(("path", param)) => Self::PathParam(param),
                    Some(("query", param)) => Self::Query(param),
                    Some(("header", header)) => Self::Header(header),
                    _ => {
                        return Err(PluginError::InvalidConfig(format!(
                            "config key `template`: {{{{{name}}}}}: unknown placeholder"
                        )))
                    }
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_placeholder() {
        for (name, placeholder) in [
            ("path", Placeholder::Path),
            ("method", Placeholder::Method),
            ("now", Placeholder::Now),
            ("now_unix", Placeholder::NowUnix),
            ("uuid", Placeholder::Uuid),
            ("path.id", Placeholder::PathParam("id")),
            ("query.a.b", Placeholder::Query("a.b")),
            ("header.x-y", Placeholder::Header("x-y")),
            ("identity.subject", Placeholder::Subject),
            ("identity.username", Placeholder::Username),
            ("identity.claims.tenant", Placeholder::Claim("tenant")),
            ("identity.claims.a.b", Placeholder::Claim("a.b")),
        ] {
            assert_eq!(Placeholder::parse(name).unwrap(), placeholder, "{name}");
        }
    }

    #[test]
    fn refuses_unknown_placeholders() {
        for name in [
            "nope",
            "cookie.x",
            "identity",
            "identity.email",
            "identity.claims",
            "Path",
            "",
        ] {
            assert!(Placeholder::parse(name).is_err(), "{name}");
        }
    }
}
