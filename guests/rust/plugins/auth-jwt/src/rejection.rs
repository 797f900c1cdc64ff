use mockforge_component_sdk::jwt::JwtRejection;
use mockforge_component_sdk::Denial;

/// Why a request's bearer token was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// `Authorization: Bearer` with no token after the scheme.
    MissingToken,
    /// Not a compact JWS, a segment that is not base64url or JSON, or a claim of the wrong type.
    Malformed,
    /// An `alg` outside the accepted list (`none` included), or one the chosen key cannot verify.
    UnsupportedAlgorithm,
    /// No configured key made the signature valid.
    InvalidSignature,
    /// `exp` has passed.
    Expired,
    /// `nbf` is still ahead.
    NotYetValid,
    /// `iss` is not the configured issuer.
    InvalidIssuer,
    /// `aud` does not hold the configured audience.
    InvalidAudience,
    /// `sub` is absent, empty or not a string.
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

/// The host verifier's rejections are the plugin's own, one for one.
impl From<JwtRejection> for Rejection {
    fn from(rejection: JwtRejection) -> Self {
        match rejection {
            JwtRejection::Malformed => Self::Malformed,
            JwtRejection::UnsupportedAlgorithm => Self::UnsupportedAlgorithm,
            JwtRejection::InvalidSignature => Self::InvalidSignature,
            JwtRejection::Expired => Self::Expired,
            JwtRejection::NotYetValid => Self::NotYetValid,
            JwtRejection::InvalidIssuer => Self::InvalidIssuer,
            JwtRejection::InvalidAudience => Self::InvalidAudience,
        }
    }
}
