use mockforge_component_sdk::Denial;

/// Why a request's bearer token was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejection {
    MissingToken,
    Malformed,
    UnsupportedAlgorithm,
    InvalidSignature,
    Expired,
    NotYetValid,
    InvalidIssuer,
    InvalidAudience,
    MissingSubject,
}

impl Rejection {
    /// The reason the client sees.
    pub fn reason(self) -> &'static str {
        match self {
            Self::MissingToken => "missing bearer token",
            Self::Malformed => "malformed token",
            Self::UnsupportedAlgorithm => "unsupported algorithm",
            Self::InvalidSignature => "invalid signature",
            Self::Expired => "token expired",
            Self::NotYetValid => "token not yet valid",
            Self::InvalidIssuer => "invalid issuer",
            Self::InvalidAudience => "invalid audience",
            Self::MissingSubject => "missing subject",
        }
    }

    /// The 401 answer, with the RFC 6750 challenge: a request that sent no token gets no
    /// error code, one that sent a bad token gets `invalid_token`.
    pub fn denial(self) -> Denial {
        let challenge = match self {
            Self::MissingToken => r#"Bearer realm="mockforge""#,
            _ => r#"Bearer realm="mockforge", error="invalid_token""#,
        };
        Denial::new(401, self.reason()).with_header("WWW-Authenticate", challenge)
    }
}
