use std::sync::OnceLock;

use mockforge_component_sdk::crypto::{KeyType, PublicKey};
use mockforge_component_sdk::jwt::{self, JwsAlgorithm, Verifier};
use mockforge_component_sdk::{config, PluginError};

use crate::algorithm;
use crate::jwks;

/// The plugin's configuration, read from the manifest's `[config]` table and handed to the
/// host's token verifier.
pub struct Settings {
    /// The host's verifier of the configured algorithms, secret, keys, issuer, audience and
    /// leeway.
    pub verifier: Verifier,
}

/// A configured public key and what chooses it for a token.
struct Key {
    /// Its `kid` in the JWKS; `None` for a PEM key or a JWK without one.
    kid: Option<String>,
    /// The one algorithm it verifies, when its JWK says (`alg`).
    alg: Option<String>,
    /// Its type, read from the host once.
    key_type: KeyType,
    /// The key, held by the host.
    key: PublicKey,
}

/// The settings of this instance, read on its first call. A plugin's configuration is fixed for
/// an instance's lifetime (a changed manifest is a reload, with new instances), so a warm
/// instance keeps its verifier (its keys prepared by the host once) instead of reading config
/// and keys on every call.
static SETTINGS: OnceLock<Settings> = OnceLock::new();

impl Settings {
    /// The settings, loaded once per instance; a configuration error is returned on every call
    /// (nothing is kept).
    pub fn get() -> Result<&'static Self, PluginError> {
        if let Some(settings) = SETTINGS.get() {
            return Ok(settings);
        }
        let settings = Self::load()?;
        Ok(SETTINGS.get_or_init(|| settings))
    }

    fn load() -> Result<Self, PluginError> {
        let secret = config::get("secret").map(String::into_bytes);
        // An empty key makes every HMAC forgeable.
        if secret.as_ref().is_some_and(Vec::is_empty) {
            return Err(invalid("config key `secret` is empty"));
        }
        let mut keys = Vec::new();
        if let Some(pem) = config::get("public-key") {
            let key = PublicKey::from_pem(&pem)
                .map_err(|e| invalid(format!("config key `public-key`: {e}")))?;
            keys.push(Key {
                kid: None,
                alg: None,
                key_type: key.key_type(),
                key,
            });
        }
        if let Some(text) = config::get("jwks") {
            add_jwks(&mut keys, "config key `jwks`", &text)?;
        }
        if let Some(path) = config::get("jwks-file") {
            let what = format!("config key `jwks-file` = {path:?}");
            let text =
                std::fs::read_to_string(&path).map_err(|e| invalid(format!("{what}: {e}")))?;
            add_jwks(&mut keys, &what, &text)?;
        }
        if secret.is_none() && keys.is_empty() {
            return Err(invalid(
                "no key to verify tokens with: set `secret`, `public-key`, `jwks` or `jwks-file`",
            ));
        }
        let algorithms = match config::get("algorithms") {
            Some(list) => {
                let algorithms = algorithm::parse_list(&list)
                    .map_err(|e| invalid(format!("config key `algorithms`: {e}")))?;
                for algorithm in &algorithms {
                    check_verifiable(*algorithm, secret.is_some(), &keys)?;
                }
                algorithms
            }
            None => algorithm::defaults(secret.is_some(), keys.iter().map(|key| key.key_type)),
        };
        let issuer = config::get("issuer");
        let audience = config::get("audience");
        let verifier = Verifier::new(&jwt::Settings {
            algorithms,
            secret: secret.as_deref(),
            keys: keys
                .iter()
                .map(|key| jwt::Key {
                    kid: key.kid.as_deref(),
                    alg: key.alg.as_deref(),
                    key: &key.key,
                })
                .collect(),
            issuer: issuer.as_deref(),
            audience: audience.as_deref(),
            leeway_seconds: config::parse("leeway-seconds")?.unwrap_or(0),
        })
        // What the checks above let through: a limit of the host (too many keys).
        .map_err(|e| invalid(format!("the host's token verifier: {e}")))?;
        Ok(Self { verifier })
    }
}

/// Read the keys of a JWKS (`what` names where it came from) into `keys`.
fn add_jwks(keys: &mut Vec<Key>, what: &str, text: &str) -> Result<(), PluginError> {
    for (index, entry) in jwks::entries(text)
        .map_err(|e| invalid(format!("{what}: {e}")))?
        .into_iter()
        .enumerate()
    {
        let key = PublicKey::from_jwk(&entry.json)
            .map_err(|e| invalid(format!("{what}: key {index}: {e}")))?;
        keys.push(Key {
            kid: entry.kid,
            alg: entry.alg,
            key_type: key.key_type(),
            key,
        });
    }
    Ok(())
}

/// An algorithm listed in `algorithms` must have a key to verify it: HMAC the `secret`, a
/// signature a public key of its type.
fn check_verifiable(
    algorithm: JwsAlgorithm,
    has_secret: bool,
    keys: &[Key],
) -> Result<(), PluginError> {
    let (verifiable, missing) = match algorithm.key_type() {
        None => (has_secret, "`secret` is not set"),
        Some(key_type) => (
            keys.iter().any(|key| key.key_type == key_type),
            "no public key of its type is configured",
        ),
    };
    if verifiable {
        return Ok(());
    }
    Err(invalid(format!(
        "config key `algorithms` lists {} but {missing}",
        algorithm.name()
    )))
}

fn invalid(message: impl Into<String>) -> PluginError {
    PluginError::InvalidConfig(message.into())
}
