use std::sync::OnceLock;

use mockforge_component_sdk::crypto::PublicKey;
use mockforge_component_sdk::{config, PluginError};

use crate::algorithm::{self, Algorithm};
use crate::jwks;
use crate::keys::Key;

/// The plugin's configuration, read from the manifest's `[config]` table.
pub struct Settings {
    /// The HMAC key of HS256/384/512 (`secret`), when configured.
    pub secret: Option<Vec<u8>>,
    /// The public keys (`public-key`, then `jwks`, then `jwks-file`), held by the host.
    pub keys: Vec<Key<PublicKey>>,
    /// The algorithms a token may use.
    pub algorithms: Vec<Algorithm>,
    /// The required `iss` claim, when configured.
    pub issuer: Option<String>,
    /// The value the `aud` claim must be or contain, when configured.
    pub audience: Option<String>,
    /// Seconds of clock skew tolerated on `exp` and `nbf`.
    pub leeway: u64,
}

/// The settings of this instance, read on its first call. A plugin's configuration is fixed for
/// an instance's lifetime (a changed manifest is a reload, with new instances), so a warm
/// instance keeps its keys, read by the host once, instead of reading config and keys on
/// every call.
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
        Ok(Self {
            secret,
            keys,
            algorithms,
            issuer: config::get("issuer"),
            audience: config::get("audience"),
            leeway: config::parse("leeway-seconds")?.unwrap_or(0),
        })
    }
}

/// Read the keys of a JWKS (`what` names where it came from) into `keys`.
fn add_jwks(keys: &mut Vec<Key<PublicKey>>, what: &str, text: &str) -> Result<(), PluginError> {
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
    algorithm: Algorithm,
    has_secret: bool,
    keys: &[Key<PublicKey>],
) -> Result<(), PluginError> {
    let verifiable = match algorithm {
        Algorithm::Hmac(_) => has_secret,
        Algorithm::Signature(signature) => {
            keys.iter().any(|key| key.key_type == signature.key_type())
        }
    };
    if verifiable {
        return Ok(());
    }
    let missing = match algorithm {
        Algorithm::Hmac(_) => "`secret` is not set",
        Algorithm::Signature(_) => "no public key of its type is configured",
    };
    Err(invalid(format!(
        "config key `algorithms` lists {} but {missing}",
        algorithm.name()
    )))
}

fn invalid(message: impl Into<String>) -> PluginError {
    PluginError::InvalidConfig(message.into())
}
