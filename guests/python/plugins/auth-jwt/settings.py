"""The plugin's configuration, read from the manifest's `[config]` table."""

from dataclasses import dataclass
from typing import FrozenSet, List, Optional

from mockforge_plugin import InvalidConfig, config, crypto, jwt
from mockforge_plugin.text import debug_str, trim

import keys
from keys import Key

#: The HMAC algorithms, by their JWS names, and the hash each uses.
HMAC_HASHES = {"HS256": "sha256", "HS384": "sha384", "HS512": "sha512"}
#: Every algorithm `algorithms` may list.
KNOWN_ALGORITHMS = tuple(HMAC_HASHES) + crypto.SIGNATURE_ALGORITHMS


@dataclass
class Settings:
    #: The HMAC key of HS256/384/512, when configured.
    secret: Optional[bytes]
    #: The public keys of RS/PS/ES/EdDSA, when configured.
    keys: List[Key]
    #: The algorithms a token may use.
    algorithms: FrozenSet[str]
    #: The required `iss` claim, when configured.
    issuer: Optional[str]
    #: The value the `aud` claim must be or contain, when configured.
    audience: Optional[str]
    #: Seconds of clock skew tolerated on `exp` and `nbf`.
    leeway: int
    #: The host's verifier for all of the above.
    verifier: jwt.Verifier

    @classmethod
    def load(cls) -> "Settings":
        secret = config.get("secret")
        # An empty key makes every signature forgeable.
        if secret == "":
            raise InvalidConfig("config key `secret` is empty")
        public_keys = load_keys()
        if secret is None and not public_keys:
            raise InvalidConfig(
                "no key to verify tokens with: set `secret`, `public-key`, `jwks` or `jwks-file`"
            )
        secret_bytes = None if secret is None else secret.encode()
        algorithms = load_algorithms(secret is not None, public_keys)
        issuer, audience = config.get("issuer"), config.get("audience")
        leeway = config.uint("leeway-seconds") or 0
        try:
            verifier = jwt.Verifier(
                sorted(algorithms),
                secret=secret_bytes,
                keys=[jwt.Key(k.kid, k.alg, k.key) for k in public_keys],
                issuer=issuer,
                audience=audience,
                leeway=leeway,
            )
        except crypto.CryptoError as e:
            # What the checks above let through: a limit of the host (too many keys).
            raise InvalidConfig(f"the host's token verifier: {e.message}") from None
        return cls(secret_bytes, public_keys, algorithms, issuer, audience, leeway, verifier)


def load_keys() -> List[Key]:
    """Every public key configured, in the order `public-key`, `jwks`, `jwks-file`."""
    found = []
    pem = config.get("public-key")
    if pem is not None:
        found.append(keys.from_pem(pem))
    jwks = config.get("jwks")
    if jwks is not None:
        found += keys.from_jwks(jwks, "config key `jwks`")
    path = config.get("jwks-file")
    if path is not None:
        found += keys.from_jwks_file(path)
    return found


def load_algorithms(has_secret: bool, public_keys: List[Key]) -> FrozenSet[str]:
    """`algorithms` (JWS names separated by commas; spaces around them and empty entries
    ignored), each of which must have a key to verify it; by default HS256 for a secret and
    every algorithm a public key's type verifies."""
    key_types = {key.key.key_type for key in public_keys}
    listed = config.get("algorithms")
    if listed is None:
        default = {"HS256"} if has_secret else set()
        for key_type in key_types:
            default.update(crypto.ALGORITHMS_BY_KEY_TYPE[key_type])
        return frozenset(default)
    names = [name for name in (trim(entry) for entry in listed.split(",")) if name]
    if not names:
        raise InvalidConfig("config key `algorithms`: lists no algorithm")
    for name in names:
        if name not in KNOWN_ALGORITHMS:
            raise InvalidConfig(
                f"config key `algorithms`: {debug_str(name)} is not an algorithm this plugin "
                f"verifies ({', '.join(KNOWN_ALGORITHMS)})"
            )
        if name in HMAC_HASHES:
            verifiable, missing = has_secret, "`secret` is not set"
        else:
            verifiable = any(name in crypto.ALGORITHMS_BY_KEY_TYPE[t] for t in key_types)
            missing = "no public key of its type is configured"
        if not verifiable:
            raise InvalidConfig(f"config key `algorithms` lists {name} but {missing}")
    return frozenset(names)


_current: Optional[Settings] = None


def current_settings() -> Settings:
    """The settings, read from the host on the first call and kept after: a plugin's
    configuration is fixed for the life of its instances (and the keys, once read by the
    host, are kept with them). A configuration that does not load is not kept, so that every
    call reports it."""
    global _current
    if _current is None:
        _current = Settings.load()
    return _current
