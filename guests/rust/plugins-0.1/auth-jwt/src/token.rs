use base64::alphabet::URL_SAFE;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::Sha256;

use crate::rejection::Rejection;

/// A token's payload: its claims in the order the token gives them.
pub type Claims = Map<String, Value>;

/// JWTs are unpadded base64url (RFC 7515), but some issuers pad anyway.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Check that `token` is a compact JWS signed with HS256 under `mac`'s key and return its claims.
///
/// The payload is parsed only after the signature checks out, so nothing an attacker wrote
/// is looked at before it is known to come from the key holder.
pub fn verify(token: &str, mac: &Hmac<Sha256>) -> Result<Claims, Rejection> {
    let (signing_input, signature) = token.rsplit_once('.').ok_or(Rejection::Malformed)?;
    let (header, payload) = signing_input.split_once('.').ok_or(Rejection::Malformed)?;
    if payload.contains('.') {
        return Err(Rejection::Malformed);
    }

    let header = decode_object(header)?;
    // Only HS256 is accepted: in particular `none` and the RS/ES family, whose "public key"
    // an attacker could pass off as the HMAC secret.
    if header.get("alg").and_then(Value::as_str) != Some("HS256") {
        return Err(Rejection::UnsupportedAlgorithm);
    }

    let signature = BASE64URL
        .decode(signature)
        .map_err(|_| Rejection::Malformed)?;
    let mut mac = mac.clone();
    mac.update(signing_input.as_bytes());
    mac.verify_slice(&signature)
        .map_err(|_| Rejection::InvalidSignature)?;

    decode_object(payload)
}

/// Decode one base64url segment holding a JSON object.
fn decode_object(segment: &str) -> Result<Claims, Rejection> {
    let bytes = BASE64URL
        .decode(segment)
        .map_err(|_| Rejection::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| Rejection::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::KeyInit;

    const SECRET: &[u8] = b"test-secret";

    fn mac() -> Hmac<Sha256> {
        Hmac::new_from_slice(SECRET).unwrap()
    }

    fn sign(header: &str, payload: &str, key: &[u8]) -> String {
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let input = format!("{}.{}", b64.encode(header), b64.encode(payload));
        let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
        mac.update(input.as_bytes());
        format!("{input}.{}", b64.encode(mac.finalize().into_bytes()))
    }

    #[test]
    fn accepts_a_good_token_and_keeps_claim_order() {
        let token = sign(
            r#"{"alg":"HS256","typ":"JWT"}"#,
            r#"{"z":1,"sub":"u","a":[true]}"#,
            SECRET,
        );
        let claims = verify(&token, &mac()).unwrap();
        assert_eq!(claims.keys().collect::<Vec<_>>(), ["z", "sub", "a"]);
    }

    #[test]
    fn refuses_other_algorithms() {
        for header in [
            r#"{"alg":"none"}"#,
            r#"{"alg":"HS512"}"#,
            r#"{"alg":"RS256"}"#,
            r#"{}"#,
        ] {
            let token = sign(header, r#"{"sub":"u"}"#, SECRET);
            assert_eq!(
                verify(&token, &mac()),
                Err(Rejection::UnsupportedAlgorithm),
                "{header}"
            );
        }
    }

    #[test]
    fn refuses_a_token_signed_with_another_key() {
        let token = sign(r#"{"alg":"HS256"}"#, r#"{"sub":"u"}"#, b"other");
        assert_eq!(verify(&token, &mac()), Err(Rejection::InvalidSignature));
    }

    #[test]
    fn refuses_a_tampered_payload() {
        let token = sign(r#"{"alg":"HS256"}"#, r#"{"sub":"u"}"#, SECRET);
        let forged = sign(r#"{"alg":"HS256"}"#, r#"{"sub":"admin"}"#, SECRET);
        let mut parts: Vec<&str> = token.split('.').collect();
        parts[1] = forged.split('.').nth(1).unwrap();
        assert_eq!(
            verify(&parts.join("."), &mac()),
            Err(Rejection::InvalidSignature)
        );
    }

    #[test]
    fn refuses_malformed_tokens() {
        let good = sign(r#"{"alg":"HS256"}"#, r#"{"sub":"u"}"#, SECRET);
        let not_json = sign(r#"{"alg":"HS256"}"#, "[1]", SECRET);
        for token in [
            "",
            "abc",
            "a.b",
            "a.b.c.d",
            "!!.e30.e30",
            &format!("{good}.x"),
            &not_json,
        ] {
            assert_eq!(verify(token, &mac()), Err(Rejection::Malformed), "{token}");
        }
    }
}
