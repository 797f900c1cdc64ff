use crate::base64url;
use crate::json;
use crate::rejection::Rejection;

/// A compact JWS split into its parts, with only its header read.
///
/// The payload is decoded only by [`Jws::payload`], once the signature is known to hold, so
/// nothing an attacker wrote beyond the header is looked at before it is known to come from
/// the key holder.
#[derive(Debug)]
pub struct Jws<'a> {
    /// The JOSE header's `alg` and `kid`, when they are strings (the last of each, when the
    /// header repeats one).
    alg: Option<String>,
    kid: Option<String>,
    /// `header.payload`, the text the signature covers.
    pub signing_input: &'a str,
    payload: &'a str,
    signature: &'a str,
}

impl<'a> Jws<'a> {
    /// Split `token` into its three segments and decode its header, a JSON object.
    pub fn parse(token: &'a str) -> Result<Self, Rejection> {
        let (signing_input, signature) = token.rsplit_once('.').ok_or(Rejection::Malformed)?;
        let (header, payload) = signing_input.split_once('.').ok_or(Rejection::Malformed)?;
        if payload.contains('.') {
            return Err(Rejection::Malformed);
        }
        let header = decode_text(header)?;
        let (mut alg, mut kid) = (None, None);
        json::read_object(&header, |name, member| match name {
            "alg" => alg = member.into_string(),
            "kid" => kid = member.into_string(),
            _ => {}
        })
        .ok_or(Rejection::Malformed)?;
        Ok(Self {
            alg,
            kid,
            signing_input,
            payload,
            signature,
        })
    }

    /// The header's `alg`, when it is a string (the last one, when the header repeats it).
    pub fn alg(&self) -> Option<&str> {
        self.alg.as_deref()
    }

    /// The header's `kid`, when it is a string.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The signature bytes.
    pub fn signature(&self) -> Result<Vec<u8>, Rejection> {
        base64url::decode(self.signature.as_bytes()).ok_or(Rejection::Malformed)
    }

    /// The payload's text (its JSON is read by [`crate::claims::Claims::read`]).
    pub fn payload(&self) -> Result<String, Rejection> {
        decode_text(self.payload)
    }
}

/// Decode one base64url segment holding text (JSON, for a JWT).
fn decode_text(segment: &str) -> Result<String, Rejection> {
    let bytes = base64url::decode(segment.as_bytes()).ok_or(Rejection::Malformed)?;
    String::from_utf8(bytes).map_err(|_| Rejection::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn b64(text: &str) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
    }

    #[test]
    fn reads_the_header_and_keeps_the_payload_for_later() {
        let token = format!(
            "{}.{}.{}",
            b64(r#"{"alg":"none","kid":"k1","alg":"ES256"}"#),
            b64(r#"{"z":1,"sub":"u"}"#),
            b64("sig")
        );
        let jws = Jws::parse(&token).unwrap();
        assert_eq!(jws.alg(), Some("ES256"), "the last alg counts");
        assert_eq!(jws.kid(), Some("k1"));
        assert_eq!(jws.signature().unwrap(), b"sig");
        assert_eq!(jws.signing_input, token.rsplit_once('.').unwrap().0);
        assert_eq!(jws.payload().unwrap(), r#"{"z":1,"sub":"u"}"#);
    }

    #[test]
    fn an_alg_or_kid_that_is_not_a_string_is_absent() {
        let token = format!("{}.e30.", b64(r#"{"alg":1,"kid":["k"]}"#));
        let jws = Jws::parse(&token).unwrap();
        assert_eq!((jws.alg(), jws.kid()), (None, None));
    }

    #[test]
    fn refuses_malformed_tokens() {
        for token in ["", "abc", "a.b", "a.b.c.d", "!!.e30.e30", "W10.e30.e30"] {
            assert_eq!(
                Jws::parse(token).unwrap_err(),
                Rejection::Malformed,
                "{token}"
            );
        }
        let bad_parts = Jws::parse("e30.!!.!!").unwrap();
        assert_eq!(bad_parts.signature(), Err(Rejection::Malformed));
        assert_eq!(bad_parts.payload(), Err(Rejection::Malformed));
        let not_utf8 = format!(
            "e30.{}.",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([b'"', 0xff, b'"'])
        );
        assert_eq!(
            Jws::parse(&not_utf8).unwrap().payload(),
            Err(Rejection::Malformed)
        );
    }
}
