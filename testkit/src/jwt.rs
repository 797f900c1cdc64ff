//! HS256 JSON Web Tokens (RFC 7519) for test requests, and the clock their claims are set by.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// A JWT over the claims text `payload`, byte for byte, signed with HMAC-SHA256 under
/// `secret`; its header is `{"alg":<alg>,"typ":"JWT"}` whatever `alg` says, so that a test can
/// offer a plugin a token that claims another algorithm (`none`, `RS256`).
pub fn signed_jwt(secret: &[u8], alg: &str, payload: &str) -> String {
    let header = serde_json::json!({ "alg": alg, "typ": "JWT" });
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(signing_input.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{signing_input}.{signature}")
}

/// An HS256 JWT over `claims`, signed with `secret`.
pub fn hs256_jwt(secret: &[u8], claims: &serde_json::Value) -> String {
    signed_jwt(secret, "HS256", &claims.to_string())
}

/// Seconds since the Unix epoch, for `exp`, `nbf` and `iat` claims.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_secs() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The token jwt.io shows by default: a known answer computed elsewhere.
    #[test]
    fn a_known_token_is_reproduced_byte_for_byte() {
        assert_eq!(
            signed_jwt(
                b"your-256-bit-secret",
                "HS256",
                r#"{"sub":"1234567890","name":"John Doe","iat":1516239022}"#
            ),
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.\
             eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.\
             SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        );
    }

    #[test]
    fn the_header_names_the_algorithm_it_is_given() {
        let token = signed_jwt(b"k", "none", "{}");
        let header = token.split('.').next().unwrap();
        assert_eq!(
            URL_SAFE_NO_PAD.decode(header).unwrap(),
            br#"{"alg":"none","typ":"JWT"}"#
        );
        assert_eq!(
            hs256_jwt(b"k", &serde_json::json!({"sub": "u"})),
            signed_jwt(b"k", "HS256", r#"{"sub":"u"}"#)
        );
    }
}
