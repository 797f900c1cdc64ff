//! Public keys for contract 0.2's `crypto.public-key`: read from PEM (SubjectPublicKeyInfo or
//! PKCS#1) or from one JSON Web Key, and signatures verified with ring. Every input is
//! untrusted plugin data: sizes are capped, and a key of one type never verifies an algorithm
//! of another (no algorithm confusion).

use base64::Engine as _;
use ring::signature::{self, RsaPublicKeyComponents, UnparsedPublicKey};
use spki::der::asn1::{ObjectIdentifier, UintRef};
use spki::der::{Decode, Reader, SliceReader};
use spki::SubjectPublicKeyInfoRef;

/// The longest key text (PEM or JWK) read, in bytes.
pub(crate) const MAX_KEY_TEXT_BYTES: usize = 16 << 10;

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

/// RSA moduli ring verifies: 2048 to 8192 bits.
const RSA_MODULUS_BYTES: std::ops::RangeInclusive<usize> = 256..=1024;

/// A public key, parsed and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PublicKey {
    /// RSA: modulus and exponent, big-endian, no leading zeros.
    Rsa { n: Vec<u8>, e: Vec<u8> },
    /// EC P-256: the uncompressed point.
    P256(Vec<u8>),
    /// EC P-384: the uncompressed point.
    P384(Vec<u8>),
    /// Ed25519: the 32-byte key.
    Ed25519(Vec<u8>),
}

/// A signature algorithm (JWS names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Algorithm {
    Rs256,
    Rs384,
    Rs512,
    Ps256,
    Ps384,
    Ps512,
    Es256,
    Es384,
    EdDsa,
}

/// Why a key cannot be read or used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeyError {
    /// Not a public key this host reads.
    Invalid(String),
    /// The algorithm does not fit the key's type.
    Mismatch(String),
    /// Over a size cap.
    Limit(String),
}

fn invalid(message: impl Into<String>) -> KeyError {
    KeyError::Invalid(message.into())
}

impl PublicKey {
    /// A key from PEM text: `PUBLIC KEY` (SubjectPublicKeyInfo) or `RSA PUBLIC KEY` (PKCS#1).
    pub(crate) fn from_pem(text: &str) -> Result<Self, KeyError> {
        check_size(text)?;
        let (label, der) = pem_block(text)?;
        match label {
            "PUBLIC KEY" => Self::from_spki(&der),
            "RSA PUBLIC KEY" => rsa_from_pkcs1(&der),
            "PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY" | "ENCRYPTED PRIVATE KEY" => Err(
                invalid(format!("a {label} was given; only public keys are read")),
            ),
            other => Err(invalid(format!(
                "a PEM `{other}` block; expected `PUBLIC KEY` or `RSA PUBLIC KEY`"
            ))),
        }
    }

    fn from_spki(der: &[u8]) -> Result<Self, KeyError> {
        let info = SubjectPublicKeyInfoRef::from_der(der)
            .map_err(|e| invalid(format!("not a SubjectPublicKeyInfo: {e}")))?;
        let key = info
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| invalid("the key bits are not whole bytes"))?;
        let oid = info.algorithm.oid;
        if oid == RSA_ENCRYPTION {
            rsa_from_pkcs1(key)
        } else if oid == EC_PUBLIC_KEY {
            let curve: ObjectIdentifier = info
                .algorithm
                .parameters
                .ok_or_else(|| invalid("an EC key without its curve"))?
                .decode_as()
                .map_err(|e| invalid(format!("an EC key's curve: {e}")))?;
            if curve == SECP256R1 {
                ec_point(key, 32).map(Self::P256)
            } else if curve == SECP384R1 {
                ec_point(key, 48).map(Self::P384)
            } else {
                Err(invalid(format!(
                    "an EC key on curve {curve}; P-256 and P-384 are supported"
                )))
            }
        } else if oid == ED25519 {
            ed25519(key)
        } else {
            Err(invalid(format!(
                "a key of algorithm {oid}; RSA, EC (P-256, P-384) and Ed25519 are supported"
            )))
        }
    }

    /// A key from one JSON Web Key (RFC 7517).
    pub(crate) fn from_jwk(text: &str) -> Result<Self, KeyError> {
        check_size(text)?;
        let jwk: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(text).map_err(|e| invalid(format!("not a JSON object: {e}")))?;
        let member = |name: &str| -> Result<&str, KeyError> {
            jwk.get(name)
                .and_then(|v| v.as_str())
                .ok_or_else(|| invalid(format!("the JWK has no string member `{name}`")))
        };
        if jwk.contains_key("d") {
            return Err(invalid(
                "a private JWK (it has `d`); only public keys are read",
            ));
        }
        match member("kty")? {
            "RSA" => rsa(base64url(member("n")?, "n")?, base64url(member("e")?, "e")?),
            "EC" => {
                let (size, make): (usize, fn(Vec<u8>) -> Self) = match member("crv")? {
                    "P-256" => (32, Self::P256),
                    "P-384" => (48, Self::P384),
                    other => {
                        return Err(invalid(format!(
                            "an EC JWK on curve `{other}`; P-256 and P-384 are supported"
                        )))
                    }
                };
                let (x, y) = (base64url(member("x")?, "x")?, base64url(member("y")?, "y")?);
                if x.len() != size || y.len() != size {
                    return Err(invalid(format!(
                        "EC coordinates of {} and {} bytes; the curve's are {size}",
                        x.len(),
                        y.len()
                    )));
                }
                let mut point = Vec::with_capacity(1 + 2 * size);
                point.push(4);
                point.extend_from_slice(&x);
                point.extend_from_slice(&y);
                Ok(make(point))
            }
            "OKP" => match member("crv")? {
                "Ed25519" => ed25519(&base64url(member("x")?, "x")?),
                other => Err(invalid(format!(
                    "an OKP JWK on curve `{other}`; Ed25519 is supported"
                ))),
            },
            other => Err(invalid(format!(
                "a JWK of type `{other}`; RSA, EC and OKP are supported"
            ))),
        }
    }

    /// The key's type, in words, for messages.
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Self::Rsa { .. } => "an RSA key",
            Self::P256(_) => "an EC P-256 key",
            Self::P384(_) => "an EC P-384 key",
            Self::Ed25519(_) => "an Ed25519 key",
        }
    }

    /// Whether `algorithm` is one this key's type verifies.
    pub(crate) fn verifies(&self, algorithm: Algorithm) -> bool {
        use Algorithm::*;
        matches!(
            (self, algorithm),
            (
                Self::Rsa { .. },
                Rs256 | Rs384 | Rs512 | Ps256 | Ps384 | Ps512
            ) | (Self::P256(_), Es256)
                | (Self::P384(_), Es384)
                | (Self::Ed25519(_), EdDsa)
        )
    }

    /// Whether `signature` signs `message` under this key with `algorithm`; an error when the
    /// algorithm does not fit the key.
    pub(crate) fn verify(
        &self,
        algorithm: Algorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, KeyError> {
        use Algorithm::*;
        let verified = match (self, algorithm) {
            (Self::Rsa { n, e }, Rs256 | Rs384 | Rs512 | Ps256 | Ps384 | Ps512) => {
                let params: &signature::RsaParameters = match algorithm {
                    Rs256 => &signature::RSA_PKCS1_2048_8192_SHA256,
                    Rs384 => &signature::RSA_PKCS1_2048_8192_SHA384,
                    Rs512 => &signature::RSA_PKCS1_2048_8192_SHA512,
                    Ps256 => &signature::RSA_PSS_2048_8192_SHA256,
                    Ps384 => &signature::RSA_PSS_2048_8192_SHA384,
                    _ => &signature::RSA_PSS_2048_8192_SHA512,
                };
                RsaPublicKeyComponents { n, e }
                    .verify(params, message, signature)
                    .is_ok()
            }
            (Self::P256(point), Es256) => {
                UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, point)
                    .verify(message, signature)
                    .is_ok()
            }
            (Self::P384(point), Es384) => {
                UnparsedPublicKey::new(&signature::ECDSA_P384_SHA384_FIXED, point)
                    .verify(message, signature)
                    .is_ok()
            }
            (Self::Ed25519(key), EdDsa) => UnparsedPublicKey::new(&signature::ED25519, key)
                .verify(message, signature)
                .is_ok(),
            (key, algorithm) => {
                return Err(KeyError::Mismatch(format!(
                    "{algorithm:?} cannot be verified with {}",
                    key.describe()
                )))
            }
        };
        Ok(verified)
    }
}

fn check_size(text: &str) -> Result<(), KeyError> {
    if text.len() > MAX_KEY_TEXT_BYTES {
        return Err(KeyError::Limit(format!(
            "a key text of {} bytes, over the cap of {MAX_KEY_TEXT_BYTES} bytes",
            text.len()
        )));
    }
    Ok(())
}

/// The label and the decoded bytes of the one PEM block in `text`.
fn pem_block(text: &str) -> Result<(&str, Vec<u8>), KeyError> {
    let text = text.trim();
    let begin = text
        .strip_prefix("-----BEGIN ")
        .ok_or_else(|| invalid("not PEM: no `-----BEGIN` line"))?;
    let (label, rest) = begin
        .split_once("-----")
        .ok_or_else(|| invalid("not PEM: a broken `-----BEGIN` line"))?;
    let end = format!("-----END {label}-----");
    let body = rest
        .strip_suffix(end.as_str())
        .ok_or_else(|| invalid(format!("not PEM: no `{end}` line at the end")))?;
    let base64: String = body.split_whitespace().collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(base64)
        .map_err(|e| invalid(format!("PEM body is not base64: {e}")))?;
    Ok((label, der))
}

fn base64url(text: &str, member: &str) -> Result<Vec<u8>, KeyError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|e| invalid(format!("the JWK member `{member}` is not base64url: {e}")))
}

/// An RSA key from a PKCS#1 `RSAPublicKey` (a sequence of modulus and exponent).
fn rsa_from_pkcs1(der: &[u8]) -> Result<PublicKey, KeyError> {
    let bad = |e: spki::der::Error| invalid(format!("not a PKCS#1 RSA public key: {e}"));
    let mut reader = SliceReader::new(der).map_err(bad)?;
    let (n, e) = reader
        .sequence(|seq| Ok((UintRef::decode(seq)?, UintRef::decode(seq)?)))
        .map_err(bad)?;
    let (n, e) = (n.as_bytes().to_vec(), e.as_bytes().to_vec());
    reader.finish(()).map_err(bad)?;
    rsa(n, e)
}

fn rsa(mut n: Vec<u8>, mut e: Vec<u8>) -> Result<PublicKey, KeyError> {
    for number in [&mut n, &mut e] {
        let zeros = number.iter().take_while(|&&b| b == 0).count();
        number.drain(..zeros);
    }
    if !RSA_MODULUS_BYTES.contains(&n.len()) {
        return Err(invalid(format!(
            "an RSA key of {} bits; 2048 to 8192 are supported",
            n.len() * 8
        )));
    }
    if e.is_empty() || e.len() > 4 || e.last().is_some_and(|b| b % 2 == 0) {
        return Err(invalid(
            "an RSA public exponent that is not a small odd number",
        ));
    }
    Ok(PublicKey::Rsa { n, e })
}

fn ec_point(point: &[u8], size: usize) -> Result<Vec<u8>, KeyError> {
    if point.len() != 1 + 2 * size || point[0] != 4 {
        return Err(invalid(
            "an EC point that is not uncompressed (04 || x || y) for its curve",
        ));
    }
    Ok(point.to_vec())
}

fn ed25519(key: &[u8]) -> Result<PublicKey, KeyError> {
    if key.len() != 32 {
        return Err(invalid(format!(
            "an Ed25519 key of {} bytes; it has 32",
            key.len()
        )));
    }
    Ok(PublicKey::Ed25519(key.to_vec()))
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    use ring::rand::SystemRandom;
    use ring::signature::{EcdsaKeyPair, Ed25519KeyPair, KeyPair};

    use super::*;

    /// SubjectPublicKeyInfo DER prefixes of an Ed25519 key and a P-256 key (RFC 8410, 5480).
    const ED25519_SPKI: &str = "302a300506032b6570032100";
    const P256_SPKI: &str = "3059301306072a8648ce3d020106082a8648ce3d030107034200";

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    fn pem(label: &str, der: &[u8]) -> String {
        let body = STANDARD.encode(der);
        let lines: Vec<&str> = body
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        format!(
            "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
            lines.join("\n")
        )
    }

    fn ed25519_pair() -> Ed25519KeyPair {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
        Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap()
    }

    fn p256_pair() -> EcdsaKeyPair {
        let rng = SystemRandom::new();
        let alg = &signature::ECDSA_P256_SHA256_FIXED_SIGNING;
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(alg, &rng).unwrap();
        EcdsaKeyPair::from_pkcs8(alg, pkcs8.as_ref(), &rng).unwrap()
    }

    #[test]
    fn an_ed25519_key_verifies_from_pem_and_jwk() {
        let pair = ed25519_pair();
        let public = pair.public_key().as_ref();
        let signed = pair.sign(b"header.payload");
        let mut der = hex(ED25519_SPKI);
        der.extend_from_slice(public);
        let jwk = serde_json::json!({"kty": "OKP", "crv": "Ed25519", "x": URL_SAFE_NO_PAD.encode(public), "kid": "k1"});
        for key in [
            PublicKey::from_pem(&pem("PUBLIC KEY", &der)).unwrap(),
            PublicKey::from_jwk(&jwk.to_string()).unwrap(),
        ] {
            assert_eq!(key, PublicKey::Ed25519(public.to_vec()));
            assert_eq!(
                key.verify(Algorithm::EdDsa, b"header.payload", signed.as_ref()),
                Ok(true)
            );
            assert_eq!(
                key.verify(Algorithm::EdDsa, b"header.payloaD", signed.as_ref()),
                Ok(false)
            );
            assert!(matches!(
                key.verify(Algorithm::Es256, b"header.payload", signed.as_ref()),
                Err(KeyError::Mismatch(_))
            ));
        }
    }

    #[test]
    fn a_p256_key_verifies_fixed_signatures_and_refuses_rsa_algorithms() {
        let pair = p256_pair();
        let point = pair.public_key().as_ref();
        let signed = pair.sign(&SystemRandom::new(), b"message").unwrap();
        let mut der = hex(P256_SPKI);
        der.extend_from_slice(point);
        let jwk = serde_json::json!({
            "kty": "EC", "crv": "P-256",
            "x": URL_SAFE_NO_PAD.encode(&point[1..33]), "y": URL_SAFE_NO_PAD.encode(&point[33..]),
        });
        for key in [
            PublicKey::from_pem(&pem("PUBLIC KEY", &der)).unwrap(),
            PublicKey::from_jwk(&jwk.to_string()).unwrap(),
        ] {
            assert_eq!(
                key.verify(Algorithm::Es256, b"message", signed.as_ref()),
                Ok(true)
            );
            assert_eq!(
                key.verify(Algorithm::Es256, b"massage", signed.as_ref()),
                Ok(false)
            );
            for confused in [
                Algorithm::Rs256,
                Algorithm::Ps256,
                Algorithm::Es384,
                Algorithm::EdDsa,
            ] {
                let err = key
                    .verify(confused, b"message", signed.as_ref())
                    .unwrap_err();
                assert!(
                    matches!(&err, KeyError::Mismatch(m) if m.contains("EC P-256")),
                    "{err:?}"
                );
            }
        }
    }

    #[test]
    fn bad_key_texts_are_refused_with_the_reason() {
        let cases: Vec<(Result<PublicKey, KeyError>, &str)> = vec![
            (PublicKey::from_pem("hello"), "no `-----BEGIN` line"),
            (
                PublicKey::from_pem(&pem("PRIVATE KEY", b"x")),
                "only public keys",
            ),
            (
                PublicKey::from_pem(&pem("CERTIFICATE", b"x")),
                "expected `PUBLIC KEY`",
            ),
            (
                PublicKey::from_pem(&pem("PUBLIC KEY", b"\x30\x03\x02\x01\x01")),
                "not a SubjectPublicKeyInfo",
            ),
            (
                PublicKey::from_pem("-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----"),
                "not base64",
            ),
            (PublicKey::from_jwk("[]"), "not a JSON object"),
            (
                PublicKey::from_jwk(r#"{"kty": "oct", "k": "AA"}"#),
                "type `oct`",
            ),
            (
                PublicKey::from_jwk(r#"{"kty": "RSA", "n": "AQAB", "e": "AQAB"}"#),
                "RSA key of 24 bits",
            ),
            (
                PublicKey::from_jwk(r#"{"kty": "EC", "crv": "P-521", "x": "AA", "y": "AA"}"#),
                "curve `P-521`",
            ),
            (
                PublicKey::from_jwk(r#"{"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}"#),
                "the curve's are 32",
            ),
            (
                PublicKey::from_jwk(r#"{"kty": "OKP", "crv": "Ed25519", "x": "AA", "d": "AA"}"#),
                "private JWK",
            ),
            (
                PublicKey::from_jwk(r#"{"kty": "OKP", "crv": "Ed25519", "x": "AA"}"#),
                "of 1 bytes",
            ),
        ];
        for (result, reason) in cases {
            match result {
                Err(KeyError::Invalid(message)) => {
                    assert!(message.contains(reason), "{message} (wanted {reason})")
                }
                other => panic!("wanted a refusal naming {reason}, got {other:?}"),
            }
        }
        let huge = "x".repeat(MAX_KEY_TEXT_BYTES + 1);
        assert!(matches!(
            PublicKey::from_pem(&huge),
            Err(KeyError::Limit(_))
        ));
        assert!(matches!(
            PublicKey::from_jwk(&huge),
            Err(KeyError::Limit(_))
        ));
    }

    #[test]
    fn an_rsa_key_needs_2048_to_8192_bits_and_an_odd_exponent() {
        let n = |bytes: usize| URL_SAFE_NO_PAD.encode(vec![0xc5; bytes]);
        let jwk = |n: String, e: &str| format!(r#"{{"kty": "RSA", "n": "{n}", "e": "{e}"}}"#);
        assert!(matches!(
            PublicKey::from_jwk(&jwk(n(256), "AQAB")),
            Ok(PublicKey::Rsa { .. })
        ));
        assert!(PublicKey::from_jwk(&jwk(n(255), "AQAB")).is_err());
        assert!(PublicKey::from_jwk(&jwk(n(1025), "AQAB")).is_err());
        assert!(
            PublicKey::from_jwk(&jwk(n(256), "AQAA")).is_err(),
            "an even exponent"
        );
        // Leading zeros of the modulus do not count.
        let mut padded = vec![0, 0];
        padded.extend(vec![0xc5; 256]);
        let key = PublicKey::from_jwk(&jwk(URL_SAFE_NO_PAD.encode(padded), "AQAB")).unwrap();
        assert!(matches!(key, PublicKey::Rsa { ref n, .. } if n.len() == 256));
        assert!(matches!(
            key.verify(Algorithm::Es256, b"m", &[0; 64]),
            Err(KeyError::Mismatch(_))
        ));
        assert_eq!(key.verify(Algorithm::Rs256, b"m", &[0; 256]), Ok(false));
    }
}
