//! The identity of the last payload verified, kept for the next call with the same payload.

use std::sync::Mutex;

use mockforge_component_sdk::Identity;

use crate::rejection::Rejection;

/// The last payload an identity was made of, and that identity.
pub struct LastIdentity(Mutex<Option<(String, Identity)>>);

impl LastIdentity {
    /// Nothing kept yet.
    pub const fn new() -> Self {
        Self(Mutex::new(None))
    }

    /// The identity of `payload`: the kept one when `payload` is the last one's, else `make`'s,
    /// which is kept when it is one (a rejection is not).
    pub fn get_or_make(
        &self,
        payload: String,
        make: impl FnOnce(&str) -> Result<Identity, Rejection>,
    ) -> Result<Identity, Rejection> {
        let mut last = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((kept, identity)) = last.as_ref() {
            if *kept == payload {
                return Ok(identity.clone());
            }
        }
        let identity = make(&payload)?;
        *last = Some((payload, identity.clone()));
        Ok(identity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_payload_is_made_once_another_is_made_again() {
        let last = LastIdentity::new();
        let mut made = 0;
        let mut make = |payload: &str| {
            made += 1;
            Ok(Identity::new(payload))
        };
        assert_eq!(
            last.get_or_make("a".into(), &mut make).unwrap().subject,
            "a"
        );
        assert_eq!(
            last.get_or_make("a".into(), &mut make).unwrap().subject,
            "a"
        );
        assert_eq!(
            last.get_or_make("b".into(), &mut make).unwrap().subject,
            "b"
        );
        assert_eq!(
            last.get_or_make("a".into(), &mut make).unwrap().subject,
            "a"
        );
        assert_eq!(made, 3);
    }

    #[test]
    fn a_rejection_is_not_kept() {
        let last = LastIdentity::new();
        assert!(last
            .get_or_make("x".into(), |_| Err(Rejection::MissingSubject))
            .is_err());
        let identity = last
            .get_or_make("x".into(), |payload| Ok(Identity::new(payload)))
            .unwrap();
        assert_eq!(identity.subject, "x");
    }
}
